package dev.hearth.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A decoded profile of one {@link ProfileType} for one series.
 *
 * @param type what the values measure
 * @param labels series labels ({@code service_name}, …), possibly empty before ingest fills them
 * @param timeNanos when collection started, Unix nanoseconds
 * @param durationNanos how long collection lasted, or 0 for a snapshot
 * @param period sampling period in the type's period unit (e.g. 10,000,000 ns for 100 Hz), or 0
 * @param temporality whether values are deltas or counters since process start
 * @param samples the observations; several may share a stack
 */
public record Profile(
    ProfileType type,
    LabelSet labels,
    long timeNanos,
    long durationNanos,
    long period,
    Temporality temporality,
    List<Sample> samples) {

  public Profile {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(temporality, "temporality");
    samples = List.copyOf(samples);
  }

  /** The id of the series this profile belongs to: type plus labels. */
  public long seriesId() {
    return Ids.seriesId(type, labels);
  }

  public Profile withLabels(LabelSet newLabels) {
    return new Profile(type, newLabels, timeNanos, durationNanos, period, temporality, samples);
  }

  public Profile withSamples(List<Sample> newSamples) {
    return new Profile(type, labels, timeNanos, durationNanos, period, temporality, newSamples);
  }

  public Profile withTemporality(Temporality newTemporality) {
    return new Profile(type, labels, timeNanos, durationNanos, period, newTemporality, samples);
  }

  /** Sum of all sample values. */
  public long totalValue() {
    long total = 0;
    for (Sample s : samples) {
      total += s.value();
    }
    return total;
  }

  /** Sum of all sample counts. */
  public long totalCount() {
    long total = 0;
    for (Sample s : samples) {
      total += s.count();
    }
    return total;
  }

  /**
   * The same profile with samples that share stack, attributes and timestamp summed into one, in
   * first-seen order; samples whose value and count are both 0 are dropped. Two profiles that mean
   * the same thing compare equal after this.
   */
  public Profile merged() {
    record Key(long stackId, List<Attribute> attributes, long timestampNanos) {}
    Map<Key, Sample> byKey = new LinkedHashMap<>();
    for (Sample s : samples) {
      if (s.value() == 0 && s.count() == 0) {
        continue;
      }
      byKey.merge(
          new Key(s.stack().id(), s.attributes(), s.timestampNanos()),
          s,
          (a, b) ->
              new Sample(
                  a.stack(),
                  a.value() + b.value(),
                  a.count() + b.count(),
                  a.attributes(),
                  a.timestampNanos()));
    }
    return withSamples(new ArrayList<>(byKey.values()));
  }
}
