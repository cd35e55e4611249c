package dev.hearth.model.codec.jfr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The sampling periods a recording declares in its {@code jdk.ActiveSetting} events.
 *
 * <p>The JDK writes the effective settings of every event type whenever a recording starts or
 * stops, e.g. {@code period = "20000000 ns"} (older JDKs: {@code "20 ms"}) for {@code
 * jdk.ExecutionSample}; the period in force at a time is the latest one written before it.
 * async-profiler writes its own: {@code event} (what it sampled: {@code cpu}, {@code itimer},
 * {@code wall}, a perf event …), {@code interval} for execution samples (nanoseconds only for the
 * timer-driven events, else a count of perf events) and {@code wall} for its wall-clock samples.
 * Recordings started without {@code jdk.ActiveSetting} say nothing; callers then use a fallback.
 */
final class SamplingPeriods {
  /** async-profiler events whose {@code interval} is in nanoseconds. */
  private static final Set<String> TIMER_EVENTS = Set.of("cpu", "itimer", "ctimer", "wall");

  private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*([a-z]+)\\s*");

  private record Setting(long timeNanos, long periodNanos) {}

  private record Key(long typeId, String name) {}

  private final Map<Key, List<Setting>> settings = new HashMap<>();
  private @Nullable String profilerEvent;

  /** Records one {@code jdk.ActiveSetting} event. */
  void add(long typeId, String name, @Nullable String value, long timeNanos) {
    if (value == null) {
      return;
    }
    long nanos;
    switch (name) {
      case "event" -> {
        profilerEvent = value;
        return;
      }
      case "period" -> nanos = parseDuration(value);
      case "interval", "wall" -> nanos = parseNanos(value);
      default -> {
        return;
      }
    }
    if (nanos > 0) {
      List<Setting> list = settings.computeIfAbsent(new Key(typeId, name), k -> new ArrayList<>());
      list.add(new Setting(timeNanos, nanos));
      if (list.size() > 1 && list.get(list.size() - 2).timeNanos() > timeNanos) {
        list.sort(Comparator.comparingLong(Setting::timeNanos));
      }
    }
  }

  /** Whether async-profiler sampled wall-clock time with its execution samples. */
  boolean profilerSampledWall() {
    return "wall".equals(profilerEvent);
  }

  /**
   * The period of {@code jdk.ExecutionSample} (type {@code typeId}) at {@code timeNanos}, or 0 when
   * the recording does not say.
   */
  long executionPeriod(long typeId, long timeNanos) {
    long period = at(typeId, "period", timeNanos);
    if (period == 0 && profilerEvent != null && TIMER_EVENTS.contains(profilerEvent)) {
      period = at(typeId, "interval", timeNanos);
    }
    return period;
  }

  /**
   * The wall-clock sampling period async-profiler declared on {@code jdk.ExecutionSample} (type
   * {@code typeId}), or 0.
   */
  long wallPeriod(long typeId, long timeNanos) {
    long period = at(typeId, "wall", timeNanos);
    if (period == 0 && profilerSampledWall()) {
      period = at(typeId, "interval", timeNanos);
    }
    return period;
  }

  /** The JDK {@code period} setting of event type {@code typeId} at {@code timeNanos}, or 0. */
  long period(long typeId, long timeNanos) {
    return at(typeId, "period", timeNanos);
  }

  private long at(long typeId, String name, long timeNanos) {
    List<Setting> list = settings.get(new Key(typeId, name));
    if (list == null) {
      return 0;
    }
    // Samples taken before the first setting was written (same batch, clock skew) use it too.
    Setting current = list.getFirst();
    for (Setting s : list) {
      if (s.timeNanos() > timeNanos) {
        break;
      }
      current = s;
    }
    return current.periodNanos();
  }

  /** {@code "20 ms"}, {@code "20000000 ns"}, {@code "10ms"} in nanoseconds; 0 when not a time. */
  static long parseDuration(String value) {
    Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return 0;
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return 0;
    }
    long unit =
        switch (m.group(2)) {
          case "ns" -> 1L;
          case "us" -> 1_000L;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          case "d" -> 86_400_000_000_000L;
          default -> 0L;
        };
    return amount > Long.MAX_VALUE / Math.max(unit, 1) ? 0 : amount * unit;
  }

  /** async-profiler's plain integer nanoseconds; 0 when not one. */
  static long parseNanos(String value) {
    try {
      return Math.max(Long.parseLong(value.strip()), 0);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
