package dev.hearth.model.codec.jfr;

import dev.hearth.model.Attribute;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads one recording: routes each event to the tally of its kind, then turns the tallies into
 * profiles. One instance per recording; not thread-safe.
 */
final class RecordingReader {
  private static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
  private static final String NATIVE_METHOD_SAMPLE = "jdk.NativeMethodSample";

  private final JfrOptions options;
  private final StackConverter stacks;
  private final SamplingPeriods periods = new SamplingPeriods();
  private final Map<RecordedThread, List<Attribute>> threads = new IdentityHashMap<>();
  private final Map<Long, List<Attribute>> contexts = new HashMap<>();

  // Sample counts, multiplied by their period once every setting has been read.
  private final SampleTally execution = new SampleTally();
  private final SampleTally sleeping = new SampleTally();
  private final SampleTally nativeSamples = new SampleTally();
  private final SampleTally wallClock = new SampleTally();
  // Values in their final unit.
  private final SampleTally inNewTlab = new SampleTally();
  private final SampleTally outsideTlab = new SampleTally();
  private final SampleTally allocationSample = new SampleTally();
  private final SampleTally monitorEnter = new SampleTally();
  private final SampleTally threadPark = new SampleTally();

  private long executionTypeId = -1;
  private long nativeTypeId = -1;
  private long firstEventNanos = Long.MAX_VALUE;
  private long lastEventNanos = 0;

  RecordingReader(JfrOptions options) {
    this.options = options;
    this.stacks = new StackConverter(options.slashedClassNames());
  }

  /**
   * Reads every event of {@code file}.
   *
   * @throws IOException from the JDK's parser, for unreadable or corrupt files; it throws runtime
   *     exceptions too for some corruptions
   */
  void readEvents(Path file) throws IOException {
    try (RecordingFile recording = new RecordingFile(file)) {
      for (EventType type : recording.readEventTypes()) {
        switch (type.getName()) {
          case EXECUTION_SAMPLE -> executionTypeId = type.getId();
          case NATIVE_METHOD_SAMPLE -> nativeTypeId = type.getId();
          default -> {}
        }
      }
      while (recording.hasMoreEvents()) {
        accept(recording.readEvent());
      }
    }
  }

  private void accept(RecordedEvent event) {
    long start = Nanos.of(event.getStartTime());
    if (start > 0) {
      firstEventNanos = Math.min(firstEventNanos, start);
    }
    lastEventNanos = Math.max(lastEventNanos, Math.max(start, Nanos.of(event.getEndTime())));
    switch (event.getEventType().getName()) {
      case "jdk.ActiveSetting" ->
          periods.add(
              event.getLong("id"), event.getString("name"), event.getString("value"), start);
      case EXECUTION_SAMPLE -> add(isSleeping(event) ? sleeping : execution, event, 1, 1);
      case NATIVE_METHOD_SAMPLE -> {
        if (options.nativeSamplesAsWall()) {
          add(nativeSamples, event, 1, 1);
        }
      }
      case "profiler.WallClockSample" -> {
        long n = event.hasField("samples") ? event.getLong("samples") : 1;
        add(wallClock, event, n, n);
      }
      case "jdk.ObjectAllocationInNewTLAB" ->
          add(inNewTlab, event, longField(event, "tlabSize", "allocationSize"), 1);
      case "jdk.ObjectAllocationOutsideTLAB" ->
          add(outsideTlab, event, longField(event, "allocationSize"), 1);
      case "jdk.ObjectAllocationSample" ->
          add(allocationSample, event, longField(event, "weight"), 1);
      case "jdk.JavaMonitorEnter" -> add(monitorEnter, event, Nanos.of(event.getDuration()), 1);
      case "jdk.ThreadPark" -> add(threadPark, event, Nanos.of(event.getDuration()), 1);
      default -> {}
    }
  }

  private void add(SampleTally tally, RecordedEvent event, long value, long count) {
    if (value < 0 || count <= 0) {
      return;
    }
    Stack stack = stacks.convert(event.getStackTrace());
    if (stack == null) {
      return; // as Pyroscope: an event without a stack has nowhere to go in a flame graph
    }
    List<Attribute> thread = options.threadAttributes() ? threadAttributes(event) : List.of();
    long contextId =
        options.contextAttributes() != null && event.hasField("contextId")
            ? event.getLong("contextId")
            : 0;
    long second = event.getStartTime().getEpochSecond();
    tally.add(new SampleTally.Key(stack, thread, contextId, second), value, count);
  }

  private List<Attribute> threadAttributes(RecordedEvent event) {
    RecordedThread thread =
        event.hasField("sampledThread")
            ? event.getThread("sampledThread")
            : event.hasField("eventThread") ? event.getThread("eventThread") : null;
    if (thread == null) {
      return List.of();
    }
    return threads.computeIfAbsent(
        thread,
        t -> {
          List<Attribute> attributes = new ArrayList<>(2);
          String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
          if (name != null && !name.isEmpty()) {
            attributes.add(Attribute.string("thread.name", name));
          }
          long id = t.getJavaThreadId() > 0 ? t.getJavaThreadId() : t.getOSThreadId();
          if (id > 0) {
            attributes.add(Attribute.number("thread.id", id, ""));
          }
          return List.copyOf(attributes);
        });
  }

  /** async-profiler's wall-clock mode marks samples of threads that were not running. */
  private static boolean isSleeping(RecordedEvent event) {
    if (!event.hasField("state")) {
      return false;
    }
    Object state = event.getValue("state");
    if (state instanceof RecordedObject o && o.hasField("name")) {
      state = o.getValue("name");
    }
    return "STATE_SLEEPING".equals(state);
  }

  /** The first of the named fields the event has, or -1 when it has none. */
  private static long longField(RecordedEvent event, String... names) {
    for (String name : names) {
      if (event.hasField(name)) {
        return event.getLong(name);
      }
    }
    return -1;
  }

  /**
   * The profiles of the events read, one per type that has samples, in {@link JfrProfileTypes#ALL}
   * order.
   *
   * @param span what the chunk headers say the recording covers
   */
  List<Profile> build(ChunkHeaders.Span span) {
    long start = span.startNanos() > 0 ? span.startNanos() : firstEventNanos;
    if (start == Long.MAX_VALUE) {
      start = 0;
    }
    long end = Math.max(span.endNanos(), lastEventNanos);
    Times times = new Times(start, Math.max(end - start, 0));

    LongUnaryOperator cpuPeriod =
        second -> orFallback(periods.executionPeriod(executionTypeId, Nanos.ofSeconds(second)));
    LongUnaryOperator wallPeriod =
        second -> orFallback(periods.wallPeriod(executionTypeId, Nanos.ofSeconds(second)));
    LongUnaryOperator nativePeriod =
        second -> orFallback(periods.period(nativeTypeId, Nanos.ofSeconds(second)));

    SampleTally wall = new SampleTally();
    if (periods.profilerSampledWall()) {
      wall.addAll(execution.scaled(wallPeriod));
      wall.addAll(sleeping.scaled(wallPeriod));
    } else if (options.nativeSamplesAsWall()) {
      wall.addAll(execution.scaled(cpuPeriod));
      wall.addAll(nativeSamples.scaled(nativePeriod));
    }
    wall.addAll(wallClock.scaled(wallPeriod));

    long startSecond = start / Nanos.PER_SECOND;
    List<Profile> out = new ArrayList<>();
    add(
        out,
        JfrProfileTypes.CPU,
        execution.scaled(cpuPeriod),
        false,
        cpuPeriod.applyAsLong(startSecond),
        times);
    add(out, JfrProfileTypes.WALL, wall, false, wallPeriod.applyAsLong(startSecond), times);
    add(out, JfrProfileTypes.ALLOC_IN_NEW_TLAB_OBJECTS, inNewTlab, true, 0, times);
    add(out, JfrProfileTypes.ALLOC_IN_NEW_TLAB_BYTES, inNewTlab, false, 0, times);
    add(out, JfrProfileTypes.ALLOC_OUTSIDE_TLAB_OBJECTS, outsideTlab, true, 0, times);
    add(out, JfrProfileTypes.ALLOC_OUTSIDE_TLAB_BYTES, outsideTlab, false, 0, times);
    add(out, JfrProfileTypes.ALLOC_SAMPLE_OBJECTS, allocationSample, true, 0, times);
    add(out, JfrProfileTypes.ALLOC_SAMPLE_BYTES, allocationSample, false, 0, times);
    add(out, JfrProfileTypes.MUTEX_CONTENTIONS, monitorEnter, true, 0, times);
    add(out, JfrProfileTypes.MUTEX_DELAY, monitorEnter, false, 0, times);
    add(out, JfrProfileTypes.BLOCK_CONTENTIONS, threadPark, true, 0, times);
    add(out, JfrProfileTypes.BLOCK_DELAY, threadPark, false, 0, times);
    return out;
  }

  private record Times(long startNanos, long durationNanos) {}

  private long orFallback(long period) {
    return period > 0 ? period : options.fallbackPeriodNanos();
  }

  /**
   * Adds the profile of {@code tally} to {@code out} unless it is empty.
   *
   * @param countAsValue whether each sample's value is its event count (the {@code _objects} and
   *     {@code contentions} types) rather than the summed quantity
   */
  private void add(
      List<Profile> out,
      ProfileType type,
      SampleTally tally,
      boolean countAsValue,
      long period,
      Times times) {
    if (tally.isEmpty()) {
      return;
    }
    out.add(
        new Profile(
            type,
            LabelSet.EMPTY,
            times.startNanos(),
            times.durationNanos(),
            period,
            Temporality.DELTA,
            tally.samples(countAsValue, this::attributes)));
  }

  private List<Attribute> attributes(SampleTally.Key key) {
    LongFunction<List<Attribute>> resolver = options.contextAttributes();
    if (key.contextId() == 0 || resolver == null) {
      return key.thread();
    }
    List<Attribute> context =
        contexts.computeIfAbsent(
            key.contextId(),
            id -> List.copyOf(Objects.requireNonNullElse(resolver.apply(id), List.of())));
    if (context.isEmpty()) {
      return key.thread();
    }
    List<Attribute> all = new ArrayList<>(key.thread().size() + context.size());
    all.addAll(key.thread());
    all.addAll(context);
    return all;
  }
}
