package dev.hearth.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One observation of a stack.
 *
 * @param stack the stack, leaf first
 * @param value the measured quantity in the profile type's sample unit (nanoseconds, bytes, …)
 * @param count how many raw samples or sampled events {@code value} sums (at least 1 for a real
 *     observation); the diff's significance test works on counts
 * @param attributes per-sample labels, sorted; not part of the series
 * @param timestampNanos when the sample was taken, Unix nanoseconds, or 0 when the producer gave
 *     only the profile's time
 */
public record Sample(
    Stack stack, long value, long count, List<Attribute> attributes, long timestampNanos) {

  public Sample {
    Objects.requireNonNull(stack, "stack");
    if (count < 0) {
      throw new IllegalArgumentException("sample count is negative: " + count);
    }
    attributes = sorted(attributes);
  }

  public static Sample of(Stack stack, long value, long count) {
    return new Sample(stack, value, count, List.of(), 0);
  }

  private static List<Attribute> sorted(List<Attribute> attributes) {
    if (attributes.size() <= 1) {
      return List.copyOf(attributes);
    }
    List<Attribute> copy = new ArrayList<>(attributes);
    Collections.sort(copy);
    return List.copyOf(copy);
  }
}
