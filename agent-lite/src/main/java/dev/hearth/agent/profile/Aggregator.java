package dev.hearth.agent.profile;

import dev.hearth.agent.unwind.ProcessInfo;
import dev.hearth.model.Attribute;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums samples per (profile type, period, series, stack, pid, thread name) over one interval.
 * {@link #drain} hands out the interval as one profile per (type, period, series). CPU: value =
 * count × period, count = samples, period = 1 s / frequency in force when sampled (the adaptive
 * controller changes it; samples at different periods stay apart so values stay right). Other types
 * carry their own values (off-CPU nanoseconds, scaled bytes, IO bytes and latency). Time and
 * duration are the interval's. Thread-safe.
 */
public final class Aggregator {
  private final Labeler labeler;
  private final long periodNanos;
  private Map<Key, long[]> counts = new LinkedHashMap<>();
  private Map<LabelSet, Map<String, String>> attributes = new HashMap<>();
  private long intervalStart = System.currentTimeMillis() * 1_000_000L;

  private record Key(
      ProfileType type, long period, LabelSet labels, Stack stack, int pid, String thread) {}

  private record Series(ProfileType type, long period, LabelSet labels) {}

  private final java.util.function.UnaryOperator<Stack> finisher;

  public Aggregator(Labeler labeler, int frequencyHz) {
    this(labeler, frequencyHz, s -> s);
  }

  /**
   * @param finisher applied to every stack when the interval is drained (names JIT frames whose
   *     perf map was written after the sample)
   */
  public Aggregator(
      Labeler labeler, int frequencyHz, java.util.function.UnaryOperator<Stack> finisher) {
    this.finisher = finisher;
    this.labeler = labeler;
    this.periodNanos = 1_000_000_000L / frequencyHz;
  }

  public long periodNanos() {
    return periodNanos;
  }

  /** One CPU sample at the configured frequency. */
  public void add(ProcessInfo process, String threadName, Stack stack) {
    add(ProfileType.CPU, periodNanos, process, threadName, stack, periodNanos, 1);
  }

  /**
   * Adds {@code value} and {@code count} to a stack of a profile type sampled at {@code period}.
   */
  public synchronized void add(
      ProfileType type,
      long period,
      ProcessInfo process,
      String threadName,
      Stack stack,
      long value,
      long count) {
    LabelSet labels = labeler.labels(process);
    attributes.computeIfAbsent(labels, l -> labeler.resourceAttributes(process));
    long[] v =
        counts.computeIfAbsent(
            new Key(type, period, labels, stack, process.pid(), threadName), k -> new long[2]);
    v[0] += value;
    v[1] += count;
  }

  /** The interval so far as profiles; starts a new interval. */
  public Batch drain() {
    Map<Key, long[]> done;
    Map<LabelSet, Map<String, String>> doneAttributes;
    long start;
    long end = System.currentTimeMillis() * 1_000_000L;
    synchronized (this) {
      done = counts;
      doneAttributes = attributes;
      start = intervalStart;
      counts = new LinkedHashMap<>();
      attributes = new HashMap<>();
      intervalStart = end;
    }
    Map<Series, List<Sample>> bySeries = new LinkedHashMap<>();
    done.forEach(
        (k, n) ->
            bySeries
                .computeIfAbsent(new Series(k.type, k.period, k.labels), l -> new ArrayList<>())
                .add(
                    new Sample(
                        finisher.apply(k.stack),
                        n[0],
                        n[1],
                        List.of(
                            Attribute.number("pid", k.pid, ""),
                            Attribute.string("thread.name", k.thread)),
                        0)));
    List<Profile> profiles = new ArrayList<>();
    bySeries.forEach(
        (series, samples) ->
            profiles.add(
                new Profile(
                        series.type,
                        series.labels,
                        start,
                        end - start,
                        series.period,
                        Temporality.DELTA,
                        samples)
                    .merged()));
    return new Batch(profiles, doneAttributes);
  }
}
