package dev.hearth.model.codec.jfr;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Nanosecond conversions that saturate instead of throwing, since a corrupt recording can hold any
 * time. Unix times before 1970 count as unknown (0).
 */
final class Nanos {
  private Nanos() {}

  static final long PER_SECOND = 1_000_000_000L;

  /** Unix nanoseconds of a Unix second, or 0 when it is not a plausible time. */
  static long ofSeconds(long epochSecond) {
    return epochSecond > 0 && epochSecond < Long.MAX_VALUE / PER_SECOND
        ? epochSecond * PER_SECOND
        : 0;
  }

  /** Unix nanoseconds of an instant; 0 when absent or before 1970. */
  static long of(@Nullable Instant instant) {
    if (instant == null || instant.getEpochSecond() <= 0) {
      return 0;
    }
    long seconds = instant.getEpochSecond();
    return seconds >= Long.MAX_VALUE / PER_SECOND
        ? Long.MAX_VALUE
        : seconds * PER_SECOND + instant.getNano();
  }

  /** A duration in nanoseconds; 0 when absent or negative. */
  static long of(@Nullable Duration duration) {
    if (duration == null || duration.isNegative()) {
      return 0;
    }
    return duration.getSeconds() >= Long.MAX_VALUE / PER_SECOND
        ? Long.MAX_VALUE
        : duration.toNanos();
  }
}
