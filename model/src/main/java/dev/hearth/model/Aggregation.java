package dev.hearth.model;

/**
 * How the values of one profile type combine when profiles over a time range are merged. This is
 * the one place that decides it; storage and query ask here.
 *
 * <ul>
 *   <li>{@link #SUM}: the value is a delta over the profile's duration (CPU, off-CPU, allocations,
 *       IO, locks), so a range is the sum of its profiles.
 *   <li>{@link #AVERAGE}: the value is a gauge sampled at the profile's time ({@code inuse_*}), so
 *       a range is the average over the profiles in it; summing would count the same live bytes
 *       once per profile.
 * </ul>
 *
 * Cumulative inputs (counters since process start) are not a third kind: ingest turns them into
 * deltas with {@link Deltas} before they are stored, after which they {@link #SUM}.
 */
public enum Aggregation {
  SUM,
  AVERAGE;

  /** {@code inuse_*} sample types are gauges; every other type is a delta. */
  public static Aggregation of(ProfileType type) {
    return type.sampleType().startsWith("inuse_") ? AVERAGE : SUM;
  }

  /**
   * Combines the summed value of a stack over a range.
   *
   * @param sum the plain sum of the stack's values over every profile in the range
   * @param profiles how many profiles (of this series) the range holds; ignored by {@link #SUM}
   * @return the merged value: the sum, or the per-profile average
   */
  public double combine(long sum, long profiles) {
    return switch (this) {
      case SUM -> sum;
      case AVERAGE -> profiles <= 0 ? 0 : (double) sum / profiles;
    };
  }
}
