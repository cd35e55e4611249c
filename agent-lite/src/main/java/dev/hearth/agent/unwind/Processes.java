package dev.hearth.agent.unwind;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The processes the agent has seen, by pid. Maps are re-read at most once per {@link #REREAD_NANOS}
 * when an address misses them (a library was loaded); a process not sampled for {@link
 * #GRACE_NANOS} is forgotten, so one that exits mid-interval keeps its maps until its samples are
 * resolved.
 */
public final class Processes {
  static final long REREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final Map<Integer, ProcessInfo> byPid = new ConcurrentHashMap<>();

  /** The process {@code pid}, read now if it is new. */
  public ProcessInfo get(int pid, String threadName) {
    long now = System.nanoTime();
    ProcessInfo p = byPid.computeIfAbsent(pid, k -> new ProcessInfo(k, threadName, now));
    p.lastSeen = now;
    return p;
  }

  /**
   * Re-reads the maps of {@code p} if they were not read recently; returns whether they were. Call
   * when an address is in no mapping. Keeps the old maps if the process is gone.
   */
  public boolean refresh(ProcessInfo p) {
    long now = System.nanoTime();
    if (now - p.mapsReadAt < REREAD_NANOS) {
      return false;
    }
    p.mapsReadAt = now;
    ProcessMaps fresh = ProcessMaps.read(p.pid);
    if (!fresh.isEmpty()) {
      p.maps = fresh;
    }
    return true;
  }

  /** Forgets processes not sampled within the grace period. */
  public void expire() {
    long now = System.nanoTime();
    for (Iterator<ProcessInfo> it = byPid.values().iterator(); it.hasNext(); ) {
      if (now - it.next().lastSeen > GRACE_NANOS) {
        it.remove();
      }
    }
  }

  public int size() {
    return byPid.size();
  }
}
