package dev.hearth.model.codec.jfr;

import dev.hearth.model.ProfileType;
import java.util.List;

/**
 * The profile types a JFR recording yields, named as Grafana Pyroscope names them (its {@code
 * jfr-parser} {@code pprof} package: metric name, sample type and unit, period type and unit), so
 * series written by Pyroscope's Java agent keep their names in Hearth.
 *
 * <p>Each JFR event gives a pair: an event count and a measured quantity. Both members of a pair
 * have the same period type, as in Pyroscope.
 */
public final class JfrProfileTypes {
  private JfrProfileTypes() {}

  /** {@code jdk.ExecutionSample}: samples times the sampling period. */
  public static final ProfileType CPU =
      new ProfileType("process_cpu", "cpu", "nanoseconds", "cpu", "nanoseconds");

  /**
   * Wall-clock samples: async-profiler's {@code profiler.WallClockSample}, its execution samples
   * when it ran with {@code event=wall}, and (only when asked) the JDK's native method samples.
   */
  public static final ProfileType WALL =
      new ProfileType("wall", "wall", "nanoseconds", "wall", "nanoseconds");

  /** {@code jdk.ObjectAllocationInNewTLAB}: one per event. */
  public static final ProfileType ALLOC_IN_NEW_TLAB_OBJECTS =
      new ProfileType("memory", "alloc_in_new_tlab_objects", "count", "space", "bytes");

  /** {@code jdk.ObjectAllocationInNewTLAB}: the new TLAB's size ({@code tlabSize}). */
  public static final ProfileType ALLOC_IN_NEW_TLAB_BYTES =
      new ProfileType("memory", "alloc_in_new_tlab_bytes", "bytes", "space", "bytes");

  /** {@code jdk.ObjectAllocationOutsideTLAB}: one per event. */
  public static final ProfileType ALLOC_OUTSIDE_TLAB_OBJECTS =
      new ProfileType("memory", "alloc_outside_tlab_objects", "count", "space", "bytes");

  /** {@code jdk.ObjectAllocationOutsideTLAB}: the object's size ({@code allocationSize}). */
  public static final ProfileType ALLOC_OUTSIDE_TLAB_BYTES =
      new ProfileType("memory", "alloc_outside_tlab_bytes", "bytes", "space", "bytes");

  /** {@code jdk.ObjectAllocationSample}: one per event. */
  public static final ProfileType ALLOC_SAMPLE_OBJECTS =
      new ProfileType("memory", "alloc_sample_objects", "count", "space", "bytes");

  /** {@code jdk.ObjectAllocationSample}: the sample's {@code weight} in bytes. */
  public static final ProfileType ALLOC_SAMPLE_BYTES =
      new ProfileType("memory", "alloc_sample_bytes", "bytes", "space", "bytes");

  /** {@code jdk.JavaMonitorEnter}: one per contended monitor enter. */
  public static final ProfileType MUTEX_CONTENTIONS =
      new ProfileType("mutex", "contentions", "count", "mutex", "count");

  /** {@code jdk.JavaMonitorEnter}: time spent waiting to enter ({@code duration}). */
  public static final ProfileType MUTEX_DELAY =
      new ProfileType("mutex", "delay", "nanoseconds", "mutex", "count");

  /** {@code jdk.ThreadPark}: one per park. */
  public static final ProfileType BLOCK_CONTENTIONS =
      new ProfileType("block", "contentions", "count", "block", "count");

  /** {@code jdk.ThreadPark}: time parked ({@code duration}). */
  public static final ProfileType BLOCK_DELAY =
      new ProfileType("block", "delay", "nanoseconds", "block", "count");

  /** Every type above, in the order {@link JfrDecoder} returns profiles. */
  public static final List<ProfileType> ALL =
      List.of(
          CPU,
          WALL,
          ALLOC_IN_NEW_TLAB_OBJECTS,
          ALLOC_IN_NEW_TLAB_BYTES,
          ALLOC_OUTSIDE_TLAB_OBJECTS,
          ALLOC_OUTSIDE_TLAB_BYTES,
          ALLOC_SAMPLE_OBJECTS,
          ALLOC_SAMPLE_BYTES,
          MUTEX_CONTENTIONS,
          MUTEX_DELAY,
          BLOCK_CONTENTIONS,
          BLOCK_DELAY);
}
