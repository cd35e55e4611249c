package dev.hearth.query;

import dev.hearth.query.flamegraph.CallTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Function-level views of a merge: call trees, top functions, sandwich trees. */
final class Analyses {
  private Analyses() {}

  /** The merge's call tree on one side, failing once it grows past {@code maxTreeNodes}. */
  static void addToTree(CallTree tree, Merged merged, int side, long maxTreeNodes) {
    for (Merged.StackSample s : merged.stacks()) {
      tree.add(s.names(), side, s.value(), s.count());
      if (tree.size() > maxTreeNodes) {
        throw treeTooLarge(maxTreeNodes);
      }
    }
  }

  /**
   * Per function name, the frame type of its locations ({@code native}, {@code python}, ...): the
   * first seen where one name has several.
   */
  static Map<String, String> frameTypes(List<Merged> merges) {
    Map<String, String> out = new HashMap<>();
    Set<Long> seen = new HashSet<>();
    for (Merged merged : merges) {
      for (Merged.StackSample s : merged.stacks()) {
        for (dev.hearth.model.Location l : s.stack().locations()) {
          if (!seen.add(l.id()) || l.frameType().isEmpty()) {
            continue;
          }
          for (dev.hearth.model.Line line : l.lines()) {
            out.putIfAbsent(line.function().name(), l.frameType());
          }
        }
      }
    }
    return out;
  }

  static QueryLimitException treeTooLarge(long maxTreeNodes) {
    return new QueryLimitException(
        "hearth.query.max-tree-nodes",
        "the merged call tree has more than "
            + maxTreeNodes
            + " nodes (hearth.query.max-tree-nodes); narrow the selection or the time range");
  }

  /** Per function name: self (stacks ending in it) and total (stacks containing it, once). */
  static Map<String, long[]> selfAndTotal(Merged merged) {
    Map<String, long[]> out = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (Merged.StackSample s : merged.stacks()) {
      List<String> names = s.names();
      if (names.isEmpty()) {
        continue;
      }
      out.computeIfAbsent(names.getLast(), k -> new long[2])[0] += s.value();
      seen.clear();
      for (String n : names) {
        if (seen.add(n)) {
          out.computeIfAbsent(n, k -> new long[2])[1] += s.value();
        }
      }
    }
    return out;
  }

  /** The top {@code limit} of per-name {@code {self, total}}, by self or total, then name. */
  static List<TopResult.FunctionValue> top(
      Map<String, long[]> selfAndTotal, int limit, boolean byTotal) {
    List<TopResult.FunctionValue> all = new ArrayList<>();
    selfAndTotal.forEach((n, v) -> all.add(new TopResult.FunctionValue(n, v[0], v[1])));
    all.sort(
        (a, b) -> {
          int c = byTotal ? Long.compare(b.total(), a.total()) : Long.compare(b.self(), a.self());
          if (c == 0) {
            c = byTotal ? Long.compare(b.self(), a.self()) : Long.compare(b.total(), a.total());
          }
          return c != 0 ? c : a.name().compareTo(b.name());
        });
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  /** Pearson's correlation coefficient, or NaN when either series is constant. */
  static double pearson(double[] x, double[] y) {
    int n = x.length;
    if (n < 2) {
      return Double.NaN;
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    if (sxx == 0 || syy == 0) {
      return Double.NaN;
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
