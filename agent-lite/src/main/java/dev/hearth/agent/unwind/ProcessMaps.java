package dev.hearth.agent.unwind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The executable mappings of one process, from {@code /proc/<pid>/maps}, sorted by address. */
public final class ProcessMaps {
  /**
   * One executable mapping.
   *
   * @param start first address
   * @param end address after the last
   * @param offset file offset of {@code start}
   * @param inodeKey {@code dev:inode}, identifying the file across processes
   * @param path the file, or a pseudo-name ({@code [vdso]}), or empty for anonymous memory (JIT
   *     code)
   */
  public record Entry(long start, long end, long offset, String inodeKey, String path) {
    /** Whether this maps a regular file (not anonymous memory or a pseudo-file). */
    public boolean isFile() {
      return path.startsWith("/") && !inodeKey.endsWith(":0");
    }
  }

  public static final ProcessMaps EMPTY = new ProcessMaps(List.of());

  private final List<Entry> entries;

  ProcessMaps(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Reads the maps of {@code pid}; empty when the process is gone. */
  public static ProcessMaps read(int pid) {
    try {
      return parse(Files.readAllLines(Path.of("/proc/" + pid + "/maps")));
    } catch (IOException | RuntimeException e) {
      return EMPTY;
    }
  }

  static ProcessMaps parse(List<String> lines) {
    List<Entry> out = new ArrayList<>();
    for (String line : lines) {
      // 7f..-7f.. r-xp 00001000 fe:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6
      String[] f = line.split("\\s+", 6);
      if (f.length < 5 || f[1].length() < 3 || f[1].charAt(2) != 'x') {
        continue;
      }
      int dash = f[0].indexOf('-');
      String path = f.length == 6 ? f[5].strip() : "";
      if (path.endsWith(" (deleted)")) {
        path = path.substring(0, path.length() - " (deleted)".length());
      }
      out.add(
          new Entry(
              Long.parseUnsignedLong(f[0], 0, dash, 16),
              Long.parseUnsignedLong(f[0], dash + 1, f[0].length(), 16),
              Long.parseUnsignedLong(f[2], 16),
              f[3] + ":" + f[4],
              path));
    }
    out.sort((a, b) -> Long.compareUnsigned(a.start, b.start));
    return new ProcessMaps(out);
  }

  public List<Entry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The executable mapping containing {@code address}, or null. */
  public @Nullable Entry find(long address) {
    int lo = 0;
    int hi = entries.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Entry e = entries.get(mid);
      if (Long.compareUnsigned(address, e.start) < 0) {
        hi = mid - 1;
      } else if (Long.compareUnsigned(address, e.end) >= 0) {
        lo = mid + 1;
      } else {
        return e;
      }
    }
    return null;
  }
}
