package dev.hearth.agent.io;

import dev.hearth.agent.profile.Aggregator;
import dev.hearth.agent.unwind.ProcessInfo;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Bios queued and not yet completed, by disk and sector, with the stack that issued them. A
 * completed request covers sectors [sector, sector + bytes / 512) of its disk: every pending bio in
 * that range (the request's first bio and those merged into it) is charged its bytes and its
 * latency (completion − queue time) as {@code block_io} samples. Bios never seen completing (a
 * sector rewritten by a remapping layer) expire. Used from the polling thread only.
 */
public final class PendingIo {
  static final long EXPIRE_NANOS = 60_000_000_000L;
  static final int MAX = 1 << 16;

  private record Bio(ProcessInfo process, String thread, Stack stack, long bytes, long queued) {}

  private final Map<Integer, TreeMap<Long, List<Bio>>> byDisk = new HashMap<>();
  private int size;

  public void queued(
      ProcessInfo p, String thread, Stack stack, int disk, long sector, long bytes, long at) {
    if (size >= MAX) {
      return;
    }
    byDisk
        .computeIfAbsent(disk, d -> new TreeMap<>())
        .computeIfAbsent(sector, s -> new ArrayList<>(1))
        .add(new Bio(p, thread, stack, bytes, at));
    size++;
  }

  /** A request completed: charges the bios it covers. Returns how many it matched. */
  public int completed(Aggregator aggregator, int disk, long sector, long bytes, long at) {
    TreeMap<Long, List<Bio>> sectors = byDisk.get(disk);
    if (sector < 0 || sectors == null) {
      return 0;
    }
    long end = sector + Math.max(1, (bytes + 511) / 512);
    NavigableMap<Long, List<Bio>> covered = sectors.subMap(sector, true, end, false);
    int n = 0;
    for (Iterator<List<Bio>> it = covered.values().iterator(); it.hasNext(); ) {
      for (Bio b : it.next()) {
        aggregator.add(ProfileType.BLOCK_IO_BYTES, 1, b.process, b.thread, b.stack, b.bytes, 1);
        aggregator.add(
            ProfileType.BLOCK_IO_LATENCY,
            1,
            b.process,
            b.thread,
            b.stack,
            Math.max(0, at - b.queued),
            1);
        n++;
      }
      it.remove();
    }
    size -= n;
    return n;
  }

  /** Drops bios queued before {@code now - 60 s}. */
  public void expire(long now) {
    for (TreeMap<Long, List<Bio>> sectors : byDisk.values()) {
      for (Iterator<List<Bio>> it = sectors.values().iterator(); it.hasNext(); ) {
        List<Bio> bios = it.next();
        int before = bios.size();
        bios.removeIf(b -> now - b.queued > EXPIRE_NANOS);
        size -= before - bios.size();
        if (bios.isEmpty()) {
          it.remove();
        }
      }
    }
  }

  public int size() {
    return size;
  }
}
