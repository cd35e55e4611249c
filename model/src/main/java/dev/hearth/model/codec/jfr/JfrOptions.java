package dev.hearth.model.codec.jfr;

import dev.hearth.model.Attribute;
import java.time.Duration;
import java.util.List;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * How to read a JFR recording. Start from {@link #defaults()} and change what a request needs.
 *
 * @param fallbackPeriodNanos the CPU (and wall) sampling period when the recording does not say (it
 *     says so only when {@code jdk.ActiveSetting} was enabled, as in the JDK's {@code default} and
 *     {@code profile} settings); Pyroscope's {@code /ingest} derives it from {@code sampleRate}
 * @param threadAttributes whether samples carry {@code thread.name} and {@code thread.id}
 * @param slashedClassNames name frames {@code java/lang/Thread.run}, exactly as Pyroscope shows JFR
 *     frames, instead of {@code java.lang.Thread.run}
 * @param nativeSamplesAsWall also build a {@link JfrProfileTypes#WALL} profile from the JDK's
 *     {@code jdk.ExecutionSample} plus {@code jdk.NativeMethodSample}; off by default, because
 *     Pyroscope does not, threads blocked in Java are missing from it, and the JDK samples only a
 *     few threads per period, so it is a rough picture of wall time
 * @param contextAttributes per-sample attributes for a non-zero {@code contextId} field, the one
 *     Pyroscope's Java agent adds to its events (resolved through the {@code labels} part of an
 *     {@code /ingest} upload); null when there are none. Called once per distinct id; must not
 *     return null
 * @param maxDecompressedBytes the largest recording accepted after gunzip, and the largest plain
 *     byte array
 */
public record JfrOptions(
    long fallbackPeriodNanos,
    boolean threadAttributes,
    boolean slashedClassNames,
    boolean nativeSamplesAsWall,
    @Nullable LongFunction<List<Attribute>> contextAttributes,
    long maxDecompressedBytes) {

  /** 10 ms: the JDK's {@code profile} settings and Pyroscope's default 100 Hz. */
  public static final long DEFAULT_PERIOD_NANOS = 10_000_000L;

  /** 64 MiB: far above a Pyroscope agent upload, far below what hurts the server. */
  public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 64L << 20;

  public JfrOptions {
    if (fallbackPeriodNanos <= 0) {
      throw new IllegalArgumentException(
          "fallback sampling period must be positive, got " + fallbackPeriodNanos + " ns");
    }
    if (maxDecompressedBytes <= 0) {
      throw new IllegalArgumentException(
          "maxDecompressedBytes must be positive, got " + maxDecompressedBytes);
    }
  }

  /** 10 ms fallback period, thread attributes on, dotted class names, no context attributes. */
  public static JfrOptions defaults() {
    return new JfrOptions(
        DEFAULT_PERIOD_NANOS, true, false, false, null, DEFAULT_MAX_DECOMPRESSED_BYTES);
  }

  public JfrOptions withFallbackPeriod(Duration period) {
    return new JfrOptions(
        period.toNanos(),
        threadAttributes,
        slashedClassNames,
        nativeSamplesAsWall,
        contextAttributes,
        maxDecompressedBytes);
  }

  public JfrOptions withThreadAttributes(boolean on) {
    return new JfrOptions(
        fallbackPeriodNanos,
        on,
        slashedClassNames,
        nativeSamplesAsWall,
        contextAttributes,
        maxDecompressedBytes);
  }

  public JfrOptions withSlashedClassNames(boolean on) {
    return new JfrOptions(
        fallbackPeriodNanos,
        threadAttributes,
        on,
        nativeSamplesAsWall,
        contextAttributes,
        maxDecompressedBytes);
  }

  public JfrOptions withNativeSamplesAsWall(boolean on) {
    return new JfrOptions(
        fallbackPeriodNanos,
        threadAttributes,
        slashedClassNames,
        on,
        contextAttributes,
        maxDecompressedBytes);
  }

  public JfrOptions withContextAttributes(@Nullable LongFunction<List<Attribute>> contexts) {
    return new JfrOptions(
        fallbackPeriodNanos,
        threadAttributes,
        slashedClassNames,
        nativeSamplesAsWall,
        contexts,
        maxDecompressedBytes);
  }

  public JfrOptions withMaxDecompressedBytes(long max) {
    return new JfrOptions(
        fallbackPeriodNanos,
        threadAttributes,
        slashedClassNames,
        nativeSamplesAsWall,
        contextAttributes,
        max);
  }
}
