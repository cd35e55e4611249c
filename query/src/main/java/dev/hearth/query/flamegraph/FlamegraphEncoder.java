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
 * maxNodes}.
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
   * @param diff whether to write the diff variant (sides 0 = left, 1 = right) or a single merge
   * @param maxNodes at least 2
   */
  public static Flamegraph encode(
      CallTree tree, String profileType, String unit, int maxNodes, boolean diff) {
    if (maxNodes < 2) {
      throw new IllegalArgumentException("maxNodes must be at least 2, not " + maxNodes);
    }
    // Only kept nodes and their children are ever looked at: the cost follows maxNodes, not the
    // size of the tree.
    CallTree.Node root = tree.root();
    PriorityQueue<CallTree.Node> candidates =
        new PriorityQueue<>(
            (a, b) -> {
              int c = Long.compare(b.combinedTotal(), a.combinedTotal());
              return c != 0 ? c : Long.compare(a.sequence, b.sequence);
            });
    long sequence = 0;
    List<CallTree.Node> keptNodes = new ArrayList<>();
    root.kept = true;
    keptNodes.add(root);
    List<CallTree.Node> rootChildren = root.sortedChildren();
    root.unkept = rootChildren.size();
    long cost = 1 + (rootChildren.isEmpty() ? 0 : 1);
    for (CallTree.Node c : rootChildren) {
      c.parent = root;
      c.sequence = sequence++;
      candidates.add(c);
    }
    boolean truncated = false;
    while (!candidates.isEmpty()) {
      CallTree.Node c = candidates.peek();
      CallTree.Node parent = c.parent;
      List<CallTree.Node> children = c.sortedChildren();
      long delta = 1 + (children.isEmpty() ? 0 : 1) - (parent.unkept == 1 ? 1 : 0);
      if (cost + delta > maxNodes) {
        truncated = true;
        break;
      }
      candidates.poll();
      cost += delta;
      c.kept = true;
      keptNodes.add(c);
      parent.unkept--;
      c.unkept = children.size();
      for (CallTree.Node child : children) {
        child.parent = c;
        child.sequence = sequence++;
        candidates.add(child);
      }
    }
    try {
      return levels(build(root), profileType, unit, diff, truncated);
    } finally {
      for (CallTree.Node n : keptNodes) {
        n.kept = false;
        for (CallTree.Node c : n.sortedChildren()) {
          c.kept = false;
        }
      }
    }
  }

  private static Out build(CallTree.Node root) {
    Out outRoot = copy(root);
    ArrayList<CallTree.Node> stack = new ArrayList<>();
    ArrayList<Out> outs = new ArrayList<>();
    stack.add(root);
    outs.add(outRoot);
    while (!stack.isEmpty()) {
      CallTree.Node n = stack.removeLast();
      Out o = outs.removeLast();
      Out other = null;
      for (CallTree.Node c : n.sortedChildren()) {
        if (c.kept) {
          Out co = copy(c);
          o.children.add(co);
          stack.add(c);
          outs.add(co);
        } else {
          if (other == null) {
            other = new Out(OTHER);
          }
          for (int side = 0; side < 2; side++) {
            other.total[side] += c.total[side];
            other.self[side] += c.total[side];
            other.count[side] += c.count[side];
          }
        }
      }
      // `other` comes after its kept siblings.
      if (other != null) {
        o.children.add(other);
      }
    }
    return outRoot;
  }

  private static Out copy(CallTree.Node n) {
    Out o = new Out(n.name);
    for (int side = 0; side < 2; side++) {
      o.total[side] = n.total[side];
      o.self[side] = n.self[side];
      o.count[side] = n.count[side];
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
        diff ? n2 : 0);
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
