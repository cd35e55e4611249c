package dev.hearth.query;

import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import java.util.ArrayList;
import java.util.List;

/**
 * A merge with its stacks resolved: what flamegraphs, top, sandwich, pprof and folded are made of.
 *
 * @param type the profile type
 * @param fromNanos start of the range
 * @param untilNanos end of the range
 * @param stacks per stack, its frames, combined value and summed count
 */
public record Merged(ProfileType type, long fromNanos, long untilNanos, List<StackSample> stacks) {

  /**
   * One stack of a merge.
   *
   * @param names the stack's function names root first, inlines expanded (computed once per stack
   *     and cached with it: every view walks them)
   */
  public record StackSample(Stack stack, List<String> names, long value, long count) {
    public StackSample(Stack stack, long value, long count) {
      this(stack, stack.functionNamesRootFirst(), value, count);
    }
  }

  public long totalValue() {
    long total = 0;
    for (StackSample s : stacks) {
      total += s.value();
    }
    return total;
  }

  /** The merge as one profile, for the codecs. */
  public Profile toProfile() {
    List<Sample> samples = new ArrayList<>(stacks.size());
    for (StackSample s : stacks) {
      samples.add(Sample.of(s.stack(), s.value(), s.count()));
    }
    return new Profile(
        type, LabelSet.EMPTY, fromNanos, untilNanos - fromNanos, 0, Temporality.DELTA, samples);
  }

  /** A merge of decoded profiles of one type (render), combining samples by stack. */
  public static Merged of(ProfileType type, List<Profile> profiles) {
    java.util.Map<Long, long[]> sums = new java.util.LinkedHashMap<>();
    java.util.Map<Long, Stack> byId = new java.util.HashMap<>();
    long from = Long.MAX_VALUE;
    long until = Long.MIN_VALUE;
    for (Profile p : profiles) {
      from = Math.min(from, p.timeNanos());
      until = Math.max(until, p.timeNanos() + p.durationNanos());
      for (Sample s : p.samples()) {
        long[] v = sums.computeIfAbsent(s.stack().id(), k -> new long[2]);
        byId.putIfAbsent(s.stack().id(), s.stack());
        v[0] += s.value();
        v[1] += s.count();
      }
    }
    List<StackSample> out = new ArrayList<>(sums.size());
    sums.forEach((id, v) -> out.add(new StackSample(byId.get(id), v[0], v[1])));
    return new Merged(type, from == Long.MAX_VALUE ? 0 : from, Math.max(until, from), out);
  }
}
