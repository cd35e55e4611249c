package dev.hearth.model.codec;

import dev.hearth.model.Attribute;
import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a sample's {@code count} comes from when a format carries several sample types for the same
 * stacks: the type that counts events. For a type whose unit is not {@code count}, that is the
 * {@code count}-unit type sharing its prefix ({@code alloc_space} ← {@code alloc_objects}), else
 * the first {@code count}-unit type ({@code cpu} ← {@code samples}, {@code delay} ← {@code
 * contentions}). pprof keeps the types side by side in one sample; OTLP splits them into sibling
 * profiles, which {@link #pairSiblings} joins back.
 */
public final class SampleCounts {
  private SampleCounts() {}

  /**
   * @return the index of the type that counts events of type {@code i} (possibly {@code i} itself),
   *     or -1 when none does
   */
  public static int countingIndex(List<String> sampleTypes, List<String> units, int i) {
    if (units.get(i).equals("count")) {
      return i;
    }
    String type = sampleTypes.get(i);
    int underscore = type.indexOf('_');
    if (underscore > 0) {
      String prefix = type.substring(0, underscore + 1);
      for (int j = 0; j < sampleTypes.size(); j++) {
        if (units.get(j).equals("count") && sampleTypes.get(j).startsWith(prefix)) {
          return j;
        }
      }
    }
    return units.indexOf("count");
  }

  /**
   * Sets the counts of each profile from its counting sibling among {@code siblings} (profiles of
   * one producer's report: same labels, time and period type), matching samples by stack,
   * attributes and timestamp. Profiles without a counting sibling, and samples the sibling lacks,
   * keep their counts.
   */
  public static List<Profile> pairSiblings(List<Profile> siblings) {
    if (siblings.size() < 2) {
      return siblings;
    }
    List<String> types = siblings.stream().map(p -> p.type().sampleType()).toList();
    List<String> units = siblings.stream().map(p -> p.type().sampleUnit()).toList();
    List<Profile> out = new ArrayList<>(siblings.size());
    for (int i = 0; i < siblings.size(); i++) {
      Profile profile = siblings.get(i);
      int j = countingIndex(types, units, i);
      Profile counting = j < 0 || j == i ? null : siblings.get(j);
      if (counting == null
          || !counting.labels().equals(profile.labels())
          || counting.timeNanos() != profile.timeNanos()
          || !counting.type().periodType().equals(profile.type().periodType())) {
        out.add(profile);
        continue;
      }
      record Key(long stackId, List<Attribute> attributes, long timestampNanos) {}
      Map<Key, Long> counts = new HashMap<>();
      for (Sample s : counting.samples()) {
        counts.merge(
            new Key(s.stack().id(), s.attributes(), s.timestampNanos()), s.value(), Long::sum);
      }
      List<Sample> samples = new ArrayList<>(profile.samples().size());
      for (Sample s : profile.samples()) {
        Long n = counts.get(new Key(s.stack().id(), s.attributes(), s.timestampNanos()));
        samples.add(
            n == null
                ? s
                : new Sample(
                    s.stack(), s.value(), Math.max(0, n), s.attributes(), s.timestampNanos()));
      }
      out.add(profile.withSamples(samples));
    }
    return out;
  }
}
