package dev.hearth.agent.symbol;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Kernel symbols from {@code /proc/kallsyms} (addresses are visible to root), sorted by address.
 */
public final class Kallsyms {
  private final long[] addresses;
  private final String[] names;

  private Kallsyms(long[] addresses, String[] names) {
    this.addresses = addresses;
    this.names = names;
  }

  /** Reads {@code /proc/kallsyms}; empty when unreadable or when addresses are hidden. */
  public static Kallsyms load() {
    return load(Path.of("/proc/kallsyms"));
  }

  static Kallsyms load(Path path) {
    List<long[]> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(path)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int s1 = line.indexOf(' ');
        int s2 = line.indexOf(' ', s1 + 1);
        if (s1 <= 0 || s2 < 0) {
          continue;
        }
        char type = Character.toLowerCase(line.charAt(s1 + 1));
        if (type != 't' && type != 'w') {
          continue;
        }
        long address = Long.parseUnsignedLong(line, 0, s1, 16);
        if (address == 0) {
          continue;
        }
        int tab = line.indexOf('\t', s2 + 1);
        rows.add(new long[] {address, names.size()});
        names.add(tab < 0 ? line.substring(s2 + 1) : line.substring(s2 + 1, tab));
      }
    } catch (IOException | RuntimeException e) {
      return new Kallsyms(new long[0], new String[0]);
    }
    rows.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
    long[] addresses = new long[rows.size()];
    String[] sorted = new String[rows.size()];
    for (int i = 0; i < addresses.length; i++) {
      addresses[i] = rows.get(i)[0];
      sorted[i] = names.get((int) rows.get(i)[1]);
    }
    return new Kallsyms(addresses, sorted);
  }

  public int size() {
    return addresses.length;
  }

  /** The kernel function containing {@code address}, or null. */
  public @Nullable String lookup(long address) {
    // Kernel addresses are negative as signed longs; search with unsigned order.
    int lo = 0;
    int hi = addresses.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(addresses[mid], address) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? null : names[found];
  }
}
