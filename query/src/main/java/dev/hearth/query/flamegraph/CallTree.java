package dev.hearth.query.flamegraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A call tree built from stacks, root first, with up to two sides (left and right of a diff; a
 * plain merge uses side 0). Per node and side it sums the value of the node and everything below it
 * ({@code total}), the value of stacks ending in it ({@code self}) and the sample counts below it
 * ({@code count}), which the diff's significance test works on.
 */
public final class CallTree {
  public static final String ROOT = "total";

  /** One frame of the tree. Children are keyed by function name. */
  public static final class Node {
    final String name;
    final long[] total = new long[2];
    final long[] self = new long[2];
    final long[] count = new long[2];
    final Map<String, Node> children = new HashMap<>(4);
    // Scratch state of one encoding: set by FlamegraphEncoder, meaningless elsewhere.
    @org.jspecify.annotations.Nullable Node parent;
    @org.jspecify.annotations.Nullable List<Node> sorted;
    long sequence;
    int unkept;
    boolean kept;

    Node(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    public long total(int side) {
      return total[side];
    }

    public long self(int side) {
      return self[side];
    }

    public long count(int side) {
      return count[side];
    }

    /** Both sides' totals: what a diff lays out by. */
    long combinedTotal() {
      return total[0] + total[1];
    }

    /** Children sorted by name, so two flamegraphs of similar data line up. */
    public List<Node> sortedChildren() {
      List<Node> out = sorted;
      if (out == null) {
        out = new ArrayList<>(children.values());
        out.sort((a, b) -> a.name.compareTo(b.name));
        sorted = out;
      }
      return out;
    }

    public Node child(String name) {
      return children.get(name);
    }
  }

  private final Node root = new Node(ROOT);
  private long size = 1;

  public Node root() {
    return root;
  }

  /** Nodes in the tree, the root included. */
  public long size() {
    return size;
  }

  /**
   * Adds one stack's value and count on a side.
   *
   * @param rootFirst function names, outermost first
   */
  public void add(List<String> rootFirst, int side, long value, long count) {
    Node node = root;
    node.total[side] += value;
    node.count[side] += count;
    for (String name : rootFirst) {
      Node child = node.children.get(name);
      if (child == null) {
        child = new Node(name);
        node.children.put(name, child);
        node.sorted = null;
        size++;
      }
      node = child;
      node.total[side] += value;
      node.count[side] += count;
    }
    node.self[side] += value;
  }
}
