package dev.hearth.query;

/** Step widths for series and correlation. */
public final class Steps {
  private static final long SECOND = 1_000_000_000L;
  private static final long[] NICE = {
    10 * SECOND,
    15 * SECOND,
    30 * SECOND,
    60 * SECOND,
    120 * SECOND,
    300 * SECOND,
    600 * SECOND,
    900 * SECOND,
    1800 * SECOND,
    3600 * SECOND,
    7200 * SECOND,
    10_800 * SECOND,
    21_600 * SECOND,
    43_200 * SECOND,
    86_400 * SECOND
  };

  /** Points a series aims for when no step is given. */
  public static final int TARGET_POINTS = 120;

  private Steps() {}

  /** The smallest "nice" step (10 s, 15 s, 30 s, 1 m, … 1 d) giving at most ~120 points. */
  public static long auto(long rangeNanos) {
    long wanted = Math.ceilDiv(rangeNanos, TARGET_POINTS);
    for (long step : NICE) {
      if (step >= wanted) {
        return step;
      }
    }
    return Math.ceilDiv(wanted, 86_400 * SECOND) * 86_400 * SECOND;
  }

  /** Range / 120 rounded up to whole seconds: correlate's default step. */
  public static long correlate(long rangeNanos) {
    return Math.max(SECOND, Math.ceilDiv(Math.ceilDiv(rangeNanos, TARGET_POINTS), SECOND) * SECOND);
  }
}
