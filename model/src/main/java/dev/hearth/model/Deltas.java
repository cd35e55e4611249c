package dev.hearth.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns cumulative profiles (counters since process start) into deltas: the one place that does it,
 * for Go's {@code alloc_*}, mutex and block profiles and for Pyroscope's {@code prev_profile}
 * uploads.
 */
public final class Deltas {
  private Deltas() {}

  /**
   * The change from {@code previous} to {@code current}, per stack and attributes.
   *
   * <p>A stack absent from {@code previous} keeps its whole value. A counter that went down means
   * the process restarted between the two profiles; that stack's current value is then taken as the
   * delta, as Prometheus treats counter resets. Stacks whose delta is zero are dropped. The result
   * is {@link Temporality#DELTA}, covers the time from {@code previous} to {@code current}, and
   * keeps {@code current}'s type, labels and period.
   *
   * @throws IllegalArgumentException when the two profiles are of different types
   */
  public static Profile between(Profile previous, Profile current) {
    if (!previous.type().equals(current.type())) {
      throw new IllegalArgumentException(
          "cannot subtract a " + previous.type() + " profile from a " + current.type() + " one");
    }
    record Key(long stackId, List<Attribute> attributes) {}
    Map<Key, long[]> before = new HashMap<>();
    for (Sample s : previous.merged().samples()) {
      before.merge(
          new Key(s.stack().id(), s.attributes()),
          new long[] {s.value(), s.count()},
          (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    }
    List<Sample> out = new ArrayList<>();
    for (Sample s : current.merged().samples()) {
      long[] prev = before.get(new Key(s.stack().id(), s.attributes()));
      long value = s.value();
      long count = s.count();
      if (prev != null && prev[0] <= value && prev[1] <= count) {
        value -= prev[0];
        count -= prev[1];
      }
      if (value != 0 || count != 0) {
        out.add(new Sample(s.stack(), value, count, s.attributes(), s.timestampNanos()));
      }
    }
    long start = previous.timeNanos() + Math.max(previous.durationNanos(), 0);
    long end = current.timeNanos() + current.durationNanos();
    long duration = start > 0 && end > start ? end - start : current.durationNanos();
    return new Profile(
        current.type(),
        current.labels(),
        start > 0 && end > start ? start : current.timeNanos(),
        duration,
        current.period(),
        Temporality.DELTA,
        out);
  }
}
