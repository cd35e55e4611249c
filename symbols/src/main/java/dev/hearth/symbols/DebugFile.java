package dev.hearth.symbols;

import java.nio.file.Path;

/**
 * A debug file found for a build id.
 *
 * @param path where it is on this host
 * @param source which source found it ({@code upload}, {@code directory}, {@code debuginfod})
 * @param version its modification time (Unix ms): frames resolved from an older file are stale
 */
public record DebugFile(Path path, String source, long version) {}
