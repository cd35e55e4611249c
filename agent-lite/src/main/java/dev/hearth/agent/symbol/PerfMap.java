package dev.hearth.agent.symbol;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A JIT symbol map, {@code /tmp/perf-<pid>.map}: lines {@code <start hex> <size hex> <name>} as the
 * JVM ({@code jcmd <pid> Compiler.perfmap}), Node ({@code --perf-basic-prof}) and Python ({@code -X
 * perf}) write them. When code is recompiled a later line for the same range wins.
 */
public final class PerfMap {
  public static final PerfMap EMPTY = new PerfMap(new long[0], new long[0], new String[0]);

  private final long[] starts;
  private final long[] ends;
  private final String[] names;

  private PerfMap(long[] starts, long[] ends, String[] names) {
    this.starts = starts;
    this.ends = ends;
    this.names = names;
  }

  public static PerfMap read(Path path) {
    record Entry(long start, long end, String name, int line) {}
    List<Entry> entries = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(path)) {
      int n = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int s1 = line.indexOf(' ');
        int s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
        if (s2 < 0) {
          continue;
        }
        try {
          long start = Long.parseUnsignedLong(strip0x(line.substring(0, s1)), 16);
          long size = Long.parseUnsignedLong(strip0x(line.substring(s1 + 1, s2)), 16);
          entries.add(new Entry(start, start + size, line.substring(s2 + 1), n++));
        } catch (NumberFormatException e) {
          // not a map line
        }
      }
    } catch (IOException e) {
      return EMPTY;
    }
    entries.sort(
        (a, b) -> a.start != b.start ? Long.compareUnsigned(a.start, b.start) : b.line - a.line);
    List<Entry> kept = new ArrayList<>();
    for (Entry e : entries) {
      if (kept.isEmpty() || kept.getLast().start != e.start) {
        kept.add(e);
      }
    }
    long[] starts = new long[kept.size()];
    long[] ends = new long[kept.size()];
    String[] names = new String[kept.size()];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = kept.get(i).start;
      ends[i] = kept.get(i).end;
      names[i] = kept.get(i).name;
    }
    return new PerfMap(starts, ends, names);
  }

  private static String strip0x(String s) {
    return s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
  }

  public int size() {
    return starts.length;
  }

  /** The JIT function containing {@code address}, or null. */
  public @Nullable String lookup(long address) {
    int lo = 0;
    int hi = starts.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(starts[mid], address) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    // Walk back over earlier entries that still cover the address (nested stubs).
    for (int i = found; i >= 0 && i > found - 8; i--) {
      if (Long.compareUnsigned(address, ends[i]) < 0
          && Long.compareUnsigned(address, starts[i]) >= 0) {
        return names[i];
      }
    }
    return null;
  }
}
