package dev.hearth.ingest;

import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import java.time.Duration;
import java.time.Instant;

/**
 * The times ingest accepts, so that nothing acknowledged is dropped later: a profile's time and
 * every sample timestamp must lie within the storage's retention (older rows sit in day partitions
 * the retention task drops) and no further ahead of the server's clock than {@code max-future-skew}
 * (a fast client clock is tolerated; a wrong one is refused, not stored under a future day).
 * Refusals are 400 and name the field the time came from.
 */
final class TimeWindow {
  private final long retentionNanos;
  private final long skewNanos;
  private final Duration retention;
  private final Duration skew;

  TimeWindow(Duration retention, Duration maxFutureSkew) {
    this.retention = retention;
    this.skew = maxFutureSkew;
    this.retentionNanos = saturatedNanos(retention);
    this.skewNanos = saturatedNanos(maxFutureSkew);
  }

  /** Throws a 400 naming {@code field} when {@code p}'s times fall outside the window. */
  void check(Profile p, String field, long nowNanos) {
    check(p.timeNanos(), "profile time (" + field + ")", nowNanos);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Sample s : p.samples()) {
      long t = s.timestampNanos();
      if (t > 0) {
        min = Math.min(min, t);
        max = Math.max(max, t);
      }
    }
    if (max != Long.MIN_VALUE) {
      check(min, "sample timestamp", nowNanos);
      check(max, "sample timestamp", nowNanos);
    }
  }

  private void check(long t, String what, long nowNanos) {
    if (t < nowNanos - retentionNanos) {
      throw IngestException.invalid(
          "too_old",
          what
              + " "
              + Instant.ofEpochSecond(0, t)
              + " is older than the retention ("
              + retention.toDays()
              + " days, clickhouse.retention-days): it would be dropped right away");
    }
    if (t > nowNanos + skewNanos) {
      throw IngestException.invalid(
          "too_far_in_future",
          what
              + " "
              + Instant.ofEpochSecond(0, t)
              + " is "
              + Duration.ofNanos(t - nowNanos).toSeconds()
              + " s ahead of the server's clock; the limit (hearth.ingest.max-future-skew) is "
              + skew.toSeconds()
              + " s");
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }
}
