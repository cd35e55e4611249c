package dev.hearth.model;

/** Whether a decoded profile's values cover its own duration or everything since process start. */
public enum Temporality {
  /** Values cover the profile's duration (or are a gauge at its time): store as they are. */
  DELTA,
  /**
   * Values are counters since the process started (Go's {@code alloc_*}, mutex and block profiles):
   * subtract the previous profile of the same series with {@link Deltas} first.
   */
  CUMULATIVE
}
