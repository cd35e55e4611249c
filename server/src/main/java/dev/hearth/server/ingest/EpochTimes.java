package dev.hearth.server.ingest;

import dev.hearth.ingest.IngestException;
import org.jspecify.annotations.Nullable;

/** Pyroscope's {@code from}/{@code until}: epoch numbers whose magnitude tells the unit. */
final class EpochTimes {
  private EpochTimes() {}

  /** Unix nanoseconds, or 0 when absent or {@code now}. */
  static long nanos(@Nullable String value, String name) {
    if (value == null || value.isBlank() || value.strip().equals("now")) {
      return 0;
    }
    long v;
    try {
      v = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw IngestException.invalid(
          "invalid_parameter", "'" + name + "' must be an epoch time in seconds");
    }
    if (v <= 0) {
      return 0;
    }
    if (v < 100_000_000_000L) {
      return v * 1_000_000_000L;
    }
    if (v < 100_000_000_000_000L) {
      return v * 1_000_000L;
    }
    if (v < 100_000_000_000_000_000L) {
      return v * 1_000L;
    }
    return v;
  }
}
