package dev.hearth.symbols;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Debug files in directories on the server host, shared by all tenants. A directory may be laid out
 * as distributions and debuginfod do ({@code .build-id/xx/rest.debug}, or {@code .build-id/xx/rest}
 * for the executable itself), or simply hold ELF files (unstripped binaries, {@code *.debug}
 * files), which are indexed by the build id in their notes. The index is built on first use and
 * rebuilt on a miss at most once per {@code rescanInterval}, so files added later are found without
 * a restart.
 */
public final class DebugDirectories implements DebugFileSource {
  private static final int MAX_DEPTH = 8;
  private static final int MAX_FILES = 200_000;

  private final List<Path> roots;
  private final Duration rescanInterval;
  private final LongSupplier nowMillis;
  private Map<String, Path> index = Map.of();
  private long scannedAt = Long.MIN_VALUE;

  public DebugDirectories(List<Path> roots, Duration rescanInterval) {
    this(roots, rescanInterval, System::currentTimeMillis);
  }

  DebugDirectories(List<Path> roots, Duration rescanInterval, LongSupplier nowMillis) {
    this.roots = List.copyOf(roots);
    this.rescanInterval = rescanInterval;
    this.nowMillis = nowMillis;
  }

  @Override
  public String name() {
    return "directory";
  }

  @Override
  public @Nullable DebugFile find(String tenant, String buildId) throws IOException {
    for (Path root : roots) {
      for (String rel : List.of(BuildIds.debugPath(buildId), BuildIds.executablePath(buildId))) {
        Path p = root.resolve(rel);
        if (Files.isRegularFile(p)) {
          return file(p);
        }
      }
    }
    Path indexed = indexed(buildId);
    return indexed == null ? null : file(indexed);
  }

  private DebugFile file(Path p) throws IOException {
    return new DebugFile(p, name(), Files.getLastModifiedTime(p).toMillis());
  }

  private synchronized @Nullable Path indexed(String buildId) {
    Path p = index.get(buildId);
    if (p != null && Files.isRegularFile(p)) {
      return p;
    }
    long now = nowMillis.getAsLong();
    if (scannedAt != Long.MIN_VALUE && now - scannedAt < rescanInterval.toMillis()) {
      return null;
    }
    scannedAt = now;
    index = scan();
    return index.get(buildId);
  }

  /** Build id → file for every readable ELF file under the roots (the first one found wins). */
  private Map<String, Path> scan() {
    Map<String, Path> out = new HashMap<>();
    int[] seen = {0};
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root, MAX_DEPTH, FileVisitOption.FOLLOW_LINKS)) {
        files
            .filter(Files::isRegularFile)
            .limit(MAX_FILES)
            .forEach(
                f -> {
                  seen[0]++;
                  try {
                    ElfFileInfo info = ElfFileInfo.read(f);
                    if (!info.buildId().isEmpty() && info.hasSymbols()) {
                      out.putIfAbsent(info.buildId(), f);
                    }
                  } catch (IOException | RuntimeException e) {
                    // not ELF, or unreadable: not a debug file
                  }
                });
      } catch (IOException | RuntimeException e) {
        // a root that vanished or cannot be listed contributes nothing this scan
      }
    }
    return out;
  }
}
