package dev.hearth.query.flamegraph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Encodes a {@link CallTree} as wire format version 1, keeping at most {@code maxNodes} nodes.
 *
 * <p>Which nodes are kept: best first by total (both sides for a diff), ties broken by the order
 * nodes became candidates (a kept node's children in name order), a node only when its parent is
 * kept, and each kept parent with dropped children counted one extra node for its {@code other}.
 * Selection stops at the first node that no longer fits, so {@code nodes} never exceeds {@code
 * maxNodes}. Only kept nodes and their children are looked at, so the cost follows {@code
 * maxNodes}, not the size of the tree.
 */
public final class FlamegraphEncoder {
  public static final String OTHER = "other";

  private FlamegraphEncoder() {}

  /** A node to be sent: a kept tree node, or the {@code other} of a kept parent. */
  private static final class Out {
    final String name;
    final long[] total = new long[2];
    final long[] self = new long[2];
    final long[] count = new long[2];
    final List<Out> children = new ArrayList<>();
    long x;

    Out(String name) {
      this.name = name;
    }
  }

  /**
   * A candidate: a tree node, its total, when it became a candidate, and its parent's count of
   * children not (yet) kept.
   */
  private record Candidate(int node, long total, long sequence, int[] parentUnkept) {}

  /**
   * @param diff whether to write the diff variant (sides 0 = left, 1 = right) or a single merge
   * @param maxNodes at least 2
   */
  public static Flamegraph encode(
      CallTree tree, String profileType, String unit, int maxNodes, boolean diff) {
    if (maxNodes < 2) {
      throw new IllegalArgumentException("maxNodes must be at least 2, not " + maxNodes);
    }
    PriorityQueue<Candidate> candidates =
        new PriorityQueue<>(
            (a, b) -> {
              int c = Long.compare(b.total(), a.total());
              return c != 0 ? c : Long.compare(a.sequence(), b.sequence());
            });
    int[] range = new int[2];
    Out root = copy(tree, 0, CallTree.ROOT);
    long sequence = 0;
    int[] rootChildren = tree.children(0, range);
    int[] rootUnkept = {range[1] - range[0]};
    long cost = 1 + (rootUnkept[0] == 0 ? 0 : 1);
    for (int i = range[0]; i < range[1]; i++) {
      int c = rootChildren[i];
      candidates.add(new Candidate(c, tree.combinedTotal(c), sequence++, rootUnkept));
    }
    Map<Out, Integer> nodeOf = new java.util.IdentityHashMap<>();
    nodeOf.put(root, 0);
    java.util.Set<Integer> kept = new java.util.HashSet<>();
    kept.add(0);
    boolean truncated = false;
    while (!candidates.isEmpty()) {
      Candidate c = candidates.peek();
      int[] children = tree.children(c.node(), range);
      int from = range[0];
      int to = range[1];
      long delta = 1 + (to == from ? 0 : 1) - (c.parentUnkept()[0] == 1 ? 1 : 0);
      if (cost + delta > maxNodes) {
        truncated = true;
        break;
      }
      candidates.poll();
      cost += delta;
      kept.add(c.node());
      c.parentUnkept()[0]--;
      Out out = copy(tree, c.node(), tree.name(c.node()));
      nodeOf.put(out, c.node());
      int[] unkept = {to - from};
      for (int i = from; i < to; i++) {
        int child = children[i];
        candidates.add(new Candidate(child, tree.combinedTotal(child), sequence++, unkept));
      }
    }
    attach(tree, root, nodeOf, kept, range);
    return levels(root, profileType, unit, diff, truncated);
  }

  /** Links kept nodes under their parents in name order, folding the rest into `other`. */
  private static void attach(
      CallTree tree, Out root, Map<Out, Integer> nodeOf, java.util.Set<Integer> kept, int[] range) {
    Map<Integer, Out> outOf = new java.util.HashMap<>();
    nodeOf.forEach((out, node) -> outOf.put(node, out));
    ArrayList<Out> stack = new ArrayList<>();
    stack.add(root);
    while (!stack.isEmpty()) {
      Out o = stack.removeLast();
      int node = nodeOf.get(o);
      int[] children = tree.children(node, range);
      Out other = null;
      for (int i = range[0]; i < range[1]; i++) {
        int c = children[i];
        Out co = kept.contains(c) ? outOf.get(c) : null;
        if (co != null) {
          o.children.add(co);
          stack.add(co);
        } else {
          if (other == null) {
            other = new Out(OTHER);
          }
          for (int side = 0; side < 2; side++) {
            other.total[side] += tree.total(c, side);
            other.self[side] += tree.total(c, side);
            other.count[side] += tree.count(c, side);
          }
        }
      }
      // `other` comes after its kept siblings.
      if (other != null) {
        o.children.add(other);
      }
    }
  }

  private static Out copy(CallTree tree, int node, String name) {
    Out o = new Out(name);
    for (int side = 0; side < 2; side++) {
      o.total[side] = tree.total(node, side);
      o.self[side] = tree.self(node, side);
      o.count[side] = tree.count(node, side);
    }
    return o;
  }

  private static Flamegraph levels(
      Out root, String profileType, String unit, boolean diff, boolean truncated) {
    Map<String, Integer> names = new LinkedHashMap<>();
    names.put(CallTree.ROOT, 0);
    List<long[]> levels = new ArrayList<>();
    int stride = diff ? 7 : 4;
    long n1 = root.count[0];
    long n2 = root.count[1];
    long maxSelf = 0;
    int nodes = 0;
    List<Out> level = List.of(root);
    root.x = 0;
    while (!level.isEmpty()) {
      long[] ints = new long[level.size() * stride];
      long prevEnd = 0;
      List<Out> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i++) {
        Out o = level.get(i);
        long total = o.total[0] + o.total[1];
        long self = o.self[0] + o.self[1];
        int name = names.computeIfAbsent(o.name, k -> names.size());
        int at = i * stride;
        ints[at] = o.x - prevEnd;
        ints[at + 1] = total;
        ints[at + 2] = self;
        if (diff) {
          ints[at + 3] = o.total[0];
          ints[at + 4] = o.self[0];
          ints[at + 5] = name;
          ints[at + 6] = Math.round(1000 * zScore(o.count[0], n1, o.count[1], n2));
        } else {
          ints[at + 3] = name;
        }
        prevEnd = o.x + total;
        maxSelf = Math.max(maxSelf, self);
        nodes++;
        long x = o.x;
        for (Out c : o.children) {
          c.x = x;
          x += c.total[0] + c.total[1];
          next.add(c);
        }
      }
      levels.add(ints);
      level = next;
    }
    return new Flamegraph(
        diff ? Flamegraph.DIFF : Flamegraph.SINGLE,
        profileType,
        unit,
        List.copyOf(names.keySet()),
        levels,
        root.total[0] + root.total[1],
        maxSelf,
        nodes,
        truncated,
        diff ? root.total[0] : 0,
        diff ? root.total[1] : 0,
        diff ? n1 : 0,
        diff ? n2 : 0,
        List.of());
  }

  /**
   * The two-proportion z-score of a node's share of samples, right ({@code c2} of {@code n2})
   * versus left ({@code c1} of {@code n1}); 0 where it is undefined.
   */
  public static double zScore(long c1, long n1, long c2, long n2) {
    if (n1 <= 0 || n2 <= 0) {
      return 0;
    }
    double p1 = (double) c1 / n1;
    double p2 = (double) c2 / n2;
    double p = (double) (c1 + c2) / (n1 + n2);
    double denominator = Math.sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2));
    if (!(denominator > 0)) {
      return 0;
    }
    return (p2 - p1) / denominator;
  }
}
