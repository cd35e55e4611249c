package dev.hearth.query.flamegraph;

import java.util.Arrays;

/**
 * The structure both call trees share: nodes are ints into parallel arrays, each with a parent and
 * an int label (a name id of its {@link CallTree}), and per node and side (left and right of a
 * diff) the value of the node and everything below it ({@code total}), of stacks ending in it
 * ({@code self}) and the sample counts below it ({@code count}). Children are found through one
 * open-addressing table keyed by (parent, label): a fleet-wide merge builds trees of a million
 * nodes, which as objects with a map each cost more than the query itself. Node 0 is the root; a
 * node's parent always has a smaller index.
 */
final class LabelTree {
  static final int NONE = -1;

  int size;
  int[] parent = new int[1024];
  int[] label = new int[1024];
  long[] total = new long[2048];
  long[] self = new long[2048];
  long[] count = new long[2048];

  // (parent << 32 | label) → child
  private final LongIntMap children = new LongIntMap();

  // Nodes added by appendChild are not in `children` until the next child() call.
  private boolean unindexed;

  LabelTree(int rootLabel) {
    newNode(NONE, rootLabel);
  }

  /** Makes room for {@code nodes} nodes in all. */
  void reserve(int nodes) {
    if (nodes > parent.length) {
      parent = Arrays.copyOf(parent, nodes);
      label = Arrays.copyOf(label, nodes);
      total = Arrays.copyOf(total, 2 * nodes);
      self = Arrays.copyOf(self, 2 * nodes);
      count = Arrays.copyOf(count, 2 * nodes);
    }
  }

  private int newNode(int parentNode, int labelId) {
    if (size == parent.length) {
      int n = Math.max(16, size * 2);
      parent = Arrays.copyOf(parent, n);
      label = Arrays.copyOf(label, n);
      total = Arrays.copyOf(total, 2 * n);
      self = Arrays.copyOf(self, 2 * n);
      count = Arrays.copyOf(count, 2 * n);
    }
    parent[size] = parentNode;
    label[size] = labelId;
    return size++;
  }

  /**
   * A new child of {@code node} labelled {@code labelId}, which the caller knows {@code node} does
   * not have yet (it adds paths in sorted order); no index of children is kept for it, so a later
   * {@link #child} indexes the nodes first.
   */
  int appendChild(int node, int labelId) {
    unindexed = true;
    return newNode(node, labelId);
  }

  /** The child of {@code node} labelled {@code labelId}, created when missing. */
  int child(int node, int labelId) {
    if (unindexed) {
      unindexed = false;
      for (int i = 1; i < size; i++) {
        children.putIfAbsent(((long) parent[i] << 32) | (label[i] & 0xffffffffL), i);
      }
    }
    long key = ((long) node << 32) | (labelId & 0xffffffffL);
    int c = children.putIfAbsent(key, size);
    if (c == size) {
      newNode(node, labelId);
    }
    return c;
  }

  /** Adds a value and count to the total of {@code node} on a side. */
  void addTotal(int node, int side, long value, long samples) {
    total[2 * node + side] += value;
    count[2 * node + side] += samples;
  }

  void addSelf(int node, int side, long value) {
    self[2 * node + side] += value;
  }
}
