package dev.hearth.model.codec.pprof;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How to read a pprof.
 *
 * @param name profile family name to use ({@code process_cpu}, {@code memory}, …), as given by
 *     Pyroscope's {@code ?name=}; null to guess it from the sample and period types
 * @param cumulativeSampleTypes sample types whose values are counters since process start
 * @param maxDecompressedBytes the largest decompressed payload accepted
 */
public record PprofOptions(
    @Nullable String name, Set<String> cumulativeSampleTypes, long maxDecompressedBytes) {

  /** 64 MiB decompressed: far above any real profile, far below what hurts the server. */
  public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 64L << 20;

  /** Go's runtime writes these as counters since process start; Pyroscope treats them alike. */
  public static final Set<String> GO_CUMULATIVE_TYPES =
      Set.of("alloc_objects", "alloc_space", "contentions", "delay");

  public PprofOptions {
    cumulativeSampleTypes = Set.copyOf(cumulativeSampleTypes);
  }

  /** Names guessed, every type a delta, the default size limit. */
  public static PprofOptions defaults() {
    return new PprofOptions(null, Set.of(), DEFAULT_MAX_DECOMPRESSED_BYTES);
  }

  /** As {@code runtime/pprof} writes them: {@link #GO_CUMULATIVE_TYPES} are cumulative. */
  public static PprofOptions goRuntime() {
    return new PprofOptions(null, GO_CUMULATIVE_TYPES, DEFAULT_MAX_DECOMPRESSED_BYTES);
  }

  public PprofOptions withName(@Nullable String newName) {
    return new PprofOptions(newName, cumulativeSampleTypes, maxDecompressedBytes);
  }
}
