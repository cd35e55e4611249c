package dev.hearth.agent.alloc;

import dev.hearth.agent.profile.Aggregator;
import dev.hearth.agent.unwind.ProcessInfo;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import java.util.HashMap;
import java.util.Map;

/**
 * Sampled allocations not yet freed, by (pid, address). Each interval, {@link #report} adds them to
 * the aggregator as {@code inuse_space} and {@code inuse_objects}: a gauge of the memory live at
 * that time, scaled like the allocations. Bounded: beyond {@link #MAX} entries new ones are
 * counted, not kept. Thread-safe.
 */
public final class LiveAllocations {
  static final int MAX = 1 << 20;

  private record Key(int pid, long address) {}

  private record Live(
      ProcessInfo process, String thread, Stack stack, long period, long bytes, long objects) {}

  private final Map<Key, Live> live = new HashMap<>();
  private long overflow;

  /**
   * Scales a sampled allocation of {@code size} bytes taken every {@code interval} bytes: it stands
   * for max(size, interval) bytes in max(1, interval / size) objects.
   */
  public static long[] scale(long size, long interval) {
    if (size >= interval || size <= 0) {
      return new long[] {Math.max(size, 0), 1};
    }
    return new long[] {interval, Math.max(1, Math.round((double) interval / size))};
  }

  public synchronized void allocated(
      ProcessInfo p, String thread, Stack stack, long address, long interval, long[] scaled) {
    if (live.size() >= MAX) {
      overflow++;
      return;
    }
    live.put(new Key(p.pid(), address), new Live(p, thread, stack, interval, scaled[0], scaled[1]));
  }

  public synchronized void freed(int pid, long address) {
    live.remove(new Key(pid, address));
  }

  public synchronized int size() {
    return live.size();
  }

  public synchronized long overflow() {
    return overflow;
  }

  /**
   * Adds the live allocations to {@code aggregator}'s current interval, first forgetting those of
   * processes that have exited (their memory went with them).
   */
  public synchronized void report(Aggregator aggregator) {
    java.util.Set<Integer> gone = new java.util.HashSet<>();
    for (Key k : live.keySet()) {
      if (!gone.contains(k.pid) && ProcessHandle.of(k.pid).isEmpty()) {
        gone.add(k.pid);
      }
    }
    live.keySet().removeIf(k -> gone.contains(k.pid));
    for (Live l : live.values()) {
      aggregator.add(ProfileType.INUSE_SPACE, l.period, l.process, l.thread, l.stack, l.bytes, 1);
      aggregator.add(
          ProfileType.INUSE_OBJECTS, l.period, l.process, l.thread, l.stack, l.objects, 1);
    }
  }
}
