/**
 * Server-side symbolisation. Producers that do not symbolise on the host (the OpenTelemetry eBPF
 * profiler, agents next to stripped binaries) send native frames as a build id and an address;
 * {@link dev.hearth.symbols.Symbolizer} finds the build id's debug file (uploaded, in a local
 * directory, or from debuginfod), names the addresses with a long-running {@code llvm-symbolizer}
 * and keeps the frames in memory and in the {@link dev.hearth.storage.SymbolStore}.
 */
@NullMarked
package dev.hearth.symbols;

import org.jspecify.annotations.NullMarked;
