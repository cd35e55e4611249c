package dev.hearth.query.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Independent readings of flamegraphs for tests: a decoder of the wire format that rebuilds each
 * node's call path from the x positions alone, and the expected paths computed straight from
 * profiles. Paths are frame names joined by {@code ;}; the root is the empty path.
 */
public final class FlamegraphPaths {
  private FlamegraphPaths() {}

  /**
   * Path → {total, self} (for a diff: {total, self, leftTotal, leftSelf, zMilli}), decoded from the
   * JSON-shaped parts of a flamegraph.
   */
  public static Map<String, long[]> decode(List<String> names, List<long[]> levels, int stride) {
    Map<String, long[]> out = new HashMap<>();
    List<long[]> previous = List.of(); // {x, total, pathIndex}
    List<String> previousPaths = List.of();
    for (int d = 0; d < levels.size(); d++) {
      long[] level = levels.get(d);
      List<long[]> current = new ArrayList<>();
      List<String> currentPaths = new ArrayList<>();
      long prevEnd = 0;
      for (int i = 0; i < level.length; i += stride) {
        long x = prevEnd + level[i];
        long total = level[i + 1];
        String name = names.get((int) level[i + (stride == 4 ? 3 : 5)]);
        String path = "";
        if (d > 0) {
          String parent = null;
          for (int p = 0; p < previous.size(); p++) {
            long[] pn = previous.get(p);
            if (x >= pn[0] && x + total <= pn[0] + pn[1]) {
              parent = previousPaths.get(p);
              break;
            }
          }
          if (parent == null) {
            throw new AssertionError("node " + name + " at level " + d + " lies in no parent");
          }
          path = parent.isEmpty() ? name : parent + ";" + name;
        }
        long[] values =
            stride == 4
                ? new long[] {total, level[i + 2]}
                : new long[] {total, level[i + 2], level[i + 3], level[i + 4], level[i + 6]};
        if (out.put(path, values) != null) {
          throw new AssertionError("path " + path + " appears twice");
        }
        current.add(new long[] {x, total});
        currentPaths.add(path);
        prevEnd = x + total;
      }
      previous = current;
      previousPaths = currentPaths;
    }
    return out;
  }

  /** Path → {total, self} computed from profiles' samples, or {total, self, count} with counts. */
  public static Map<String, long[]> expected(List<Profile> profiles) {
    Map<String, long[]> out = new HashMap<>();
    for (Profile p : profiles) {
      for (Sample s : p.samples()) {
        add(out, s.stack().functionNamesRootFirst(), s.value(), s.count());
      }
    }
    return out;
  }

  public static void add(Map<String, long[]> out, List<String> rootFirst, long value, long count) {
    StringBuilder path = new StringBuilder();
    long[] root = out.computeIfAbsent("", k -> new long[3]);
    root[0] += value;
    root[2] += count;
    for (String name : rootFirst) {
      if (!path.isEmpty()) {
        path.append(';');
      }
      path.append(name);
      long[] v = out.computeIfAbsent(path.toString(), k -> new long[3]);
      v[0] += value;
      v[2] += count;
    }
    out.get(path.toString())[1] += value;
  }

  /** Drops the counts: path → {total, self}. */
  public static Map<String, List<Long>> totalsAndSelf(Map<String, long[]> m) {
    Map<String, List<Long>> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, List.of(v[0], v[1])));
    return out;
  }

  /** Every level's totals lie inside their parents: the invariant renderers rely on. */
  public static void assertLevelsSumToParents(List<long[]> levels, int stride) {
    for (int d = 1; d < levels.size(); d++) {
      long[] level = levels.get(d);
      long sum = 0;
      for (int i = 0; i < level.length; i += stride) {
        sum += level[i + 1];
      }
      long[] parents = levels.get(d - 1);
      long parentChildren = 0;
      for (int i = 0; i < parents.length; i += stride) {
        parentChildren += parents[i + 1] - parents[i + 2];
      }
      assertThat(sum)
          .as("level %d sums to its parents' totals minus self", d)
          .isEqualTo(parentChildren);
    }
  }
}
