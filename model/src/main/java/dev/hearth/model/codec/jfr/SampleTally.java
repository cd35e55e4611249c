package dev.hearth.model.codec.jfr;

import dev.hearth.model.Attribute;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * Sums of one JFR event kind per stack, thread, context and second, in first-seen order.
 *
 * <p>Each entry keeps a value (bytes, nanoseconds, or sample counts still to be multiplied by a
 * period) and how many events or samples it sums. Sums saturate instead of wrapping.
 */
final class SampleTally {
  /**
   * @param thread the thread's attributes, shared per thread
   * @param contextId Pyroscope's context id, 0 for none
   * @param epochSecond the event's start, truncated to the second
   */
  record Key(Stack stack, List<Attribute> thread, long contextId, long epochSecond) {}

  private final Map<Key, long[]> sums = new LinkedHashMap<>();

  void add(Key key, long value, long count) {
    long[] s = sums.computeIfAbsent(key, k -> new long[2]);
    s[0] = saturatedAdd(s[0], value);
    s[1] = saturatedAdd(s[1], count);
  }

  boolean isEmpty() {
    return sums.isEmpty();
  }

  /** Adds every entry of {@code other} into this tally. */
  void addAll(SampleTally other) {
    other.sums.forEach((k, v) -> add(k, v[0], v[1]));
  }

  /** A tally of sample counts turned into values: each count times the period in its second. */
  SampleTally scaled(LongUnaryOperator periodAtSecond) {
    SampleTally out = new SampleTally();
    sums.forEach(
        (key, s) -> {
          long period = periodAtSecond.applyAsLong(key.epochSecond());
          long value = s[0] > Long.MAX_VALUE / period ? Long.MAX_VALUE : s[0] * period;
          out.add(key, value, s[1]);
        });
    return out;
  }

  /**
   * The entries as samples stamped with their second.
   *
   * @param countAsValue whether each sample's value is its count (the {@code _objects} and {@code
   *     contentions} types) rather than the summed quantity
   * @param attributes the attributes of an entry
   */
  List<Sample> samples(boolean countAsValue, Function<Key, List<Attribute>> attributes) {
    List<Sample> out = new ArrayList<>(sums.size());
    sums.forEach(
        (key, s) ->
            out.add(
                new Sample(
                    key.stack(),
                    countAsValue ? s[1] : s[0],
                    s[1],
                    attributes.apply(key),
                    Nanos.ofSeconds(key.epochSecond()))));
    return out;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    // Overflow only if both operands have the sign opposite to the result.
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }
}
