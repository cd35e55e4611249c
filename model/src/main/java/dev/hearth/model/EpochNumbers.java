package dev.hearth.model;

/**
 * Epoch numbers whose magnitude tells their unit, as Pyroscope's APIs read them: below 10^11
 * seconds, below 10^14 milliseconds, below 10^17 microseconds, else nanoseconds. The one rule for
 * the query API's times and Pyroscope's {@code /ingest?from=&until=}.
 */
public final class EpochNumbers {
  private EpochNumbers() {}

  /**
   * Unix nanoseconds of a non-negative epoch number.
   *
   * @throws ArithmeticException when the nanoseconds overflow a long (cannot happen below 10^17 for
   *     the units this rule assigns, so only for huge second counts it never yields)
   */
  public static long toNanos(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("epoch number " + n + " is negative");
    }
    if (n < 100_000_000_000L) {
      return Math.multiplyExact(n, 1_000_000_000L);
    }
    if (n < 100_000_000_000_000L) {
      return Math.multiplyExact(n, 1_000_000L);
    }
    if (n < 100_000_000_000_000_000L) {
      return Math.multiplyExact(n, 1_000L);
    }
    return n;
  }
}
