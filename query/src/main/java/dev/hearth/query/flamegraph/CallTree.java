package dev.hearth.query.flamegraph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A call tree built from stacks, root first, with up to two sides (left and right of a diff; a
 * plain merge uses side 0). Per node and side it sums the value of the node and everything below it
 * ({@code total}), the value of stacks ending in it ({@code self}) and the sample counts below it
 * ({@code count}), which the diff's significance test works on.
 *
 * <p>Nodes are ints into parallel arrays ({@link LabelTree}), labelled with interned name ids.
 */
public final class CallTree {
  public static final String ROOT = "total";

  private final Map<String, Integer> nameIds = new HashMap<>();
  private final List<String> names = new ArrayList<>();
  private final LabelTree t;

  // Children of each node, built on first use by the encoder (see children()).
  private int @org.jspecify.annotations.Nullable [] childStart;
  private int @org.jspecify.annotations.Nullable [] childList;
  private boolean @org.jspecify.annotations.Nullable [] childSorted;

  public CallTree() {
    t = new LabelTree(intern(ROOT));
  }

  /** The id {@code n} has in this tree's names table, assigned on first use. */
  public int intern(String n) {
    Integer id = nameIds.get(n);
    if (id == null) {
      id = names.size();
      names.add(n);
      nameIds.put(n, id);
    }
    return id;
  }

  /** The child of {@code node} named {@code n}, created when missing. */
  int child(int node, String n) {
    childStart = null;
    return t.child(node, intern(n));
  }

  /**
   * The child of {@code node} whose name has id {@code nameId} ({@link #intern}), created when
   * missing. Node 0 is the root. With {@link #addTotal} and {@link #addSelf} this builds a tree
   * from interned names; the caller adds each stack's value to every node on its path.
   */
  public int child(int node, int nameId) {
    childStart = null;
    return t.child(node, nameId);
  }

  /**
   * Adds paths of interned name ids ({@link #intern}), root first, that the caller hands in
   * lexicographic order: a path then shares its nodes with the previous path up to their first
   * difference and creates the rest, with no lookup of children (paths with a common prefix are
   * adjacent, so a node is never created twice). Each path's value and count go to the root and
   * every node on it, its value to the last node's self. The tree must hold only its root.
   *
   * @param names the paths' name ids, concatenated
   * @param start where each path starts in {@code names}; path {@code i} ends where {@code i + 1}
   *     starts ({@code start} has one more entry than there are paths)
   * @param order the paths in lexicographic order of their names
   * @param side each path's side
   * @param value each path's value
   * @param count each path's sample count
   * @param maxNodes the most nodes the tree may have
   * @return false if the tree would grow past {@code maxNodes} (it is then incomplete)
   */
  public boolean addSorted(
      int[] names,
      int[] start,
      int[] order,
      int[] side,
      long[] value,
      long[] count,
      long maxNodes) {
    if (t.size != 1) {
      throw new IllegalStateException("paths are added in sorted order to a tree of only its root");
    }
    // Count the nodes first, so the tree's arrays are sized once rather than grown by copies.
    long added = 0;
    int prevFrom = 0;
    int prevTo = 0;
    for (int p : order) {
      int common = Arrays.mismatch(names, prevFrom, prevTo, names, start[p], start[p + 1]);
      added += common < 0 ? 0 : start[p + 1] - start[p] - common;
      prevFrom = start[p];
      prevTo = start[p + 1];
    }
    if (t.size + added > maxNodes) {
      return false;
    }
    t.reserve(t.size + (int) added);
    int[] nodes = new int[16];
    prevFrom = 0;
    prevTo = 0;
    for (int p : order) {
      int from = start[p];
      int to = start[p + 1];
      int len = to - from;
      int common = Arrays.mismatch(names, prevFrom, prevTo, names, from, to);
      if (common < 0) {
        common = len;
      }
      if (nodes.length < len) {
        nodes = Arrays.copyOf(nodes, Math.max(len, 2 * nodes.length));
      }
      childStart = null;
      int node = common == 0 ? 0 : nodes[common - 1];
      for (int i = common; i < len; i++) {
        node = t.appendChild(node, names[from + i]);
        nodes[i] = node;
      }
      int s = side[p];
      t.addTotal(0, s, value[p], count[p]);
      for (int i = 0; i < len; i++) {
        t.addTotal(nodes[i], s, value[p], count[p]);
      }
      t.addSelf(len == 0 ? 0 : nodes[len - 1], s, value[p]);
      prevFrom = from;
      prevTo = to;
    }
    return true;
  }

  /** Adds to the total and count of {@code node} on a side (not to its ancestors). */
  public void addTotal(int node, int side, long value, long samples) {
    t.addTotal(node, side, value, samples);
  }

  /** Adds to the self value of {@code node} on a side. */
  public void addSelf(int node, int side, long value) {
    t.addSelf(node, side, value);
  }

  /** The root's total on side 0: the merge's total value. */
  public long total() {
    return t.total[0];
  }

  /** Nodes in the tree, the root included. */
  public long size() {
    return t.size;
  }

  /**
   * Adds one stack's value and count on a side.
   *
   * @param rootFirst function names, outermost first
   */
  public void add(List<String> rootFirst, int side, long value, long count) {
    int node = 0;
    t.addTotal(0, side, value, count);
    for (String n : rootFirst) {
      node = child(node, n);
      t.addTotal(node, side, value, count);
    }
    t.addSelf(node, side, value);
  }

  // Accessors for the encoder; node 0 is the root.

  String name(int node) {
    return names.get(t.label[node]);
  }

  int nameId(int node) {
    return t.label[node];
  }

  int parent(int node) {
    return t.parent[node];
  }

  long total(int node, int side) {
    return t.total[2 * node + side];
  }

  long self(int node, int side) {
    return t.self[2 * node + side];
  }

  long count(int node, int side) {
    return t.count[2 * node + side];
  }

  long combinedTotal(int node) {
    return t.total[2 * node] + t.total[2 * node + 1];
  }

  /**
   * The children of {@code node} in name order, as a slice {@code [from, to)} of the returned
   * array.
   */
  int[] children(int node, int[] range) {
    int size = t.size;
    int[] parent = t.parent;
    if (childStart == null) {
      int[] start = new int[size + 1];
      for (int i = 1; i < size; i++) {
        start[parent[i] + 1]++;
      }
      for (int i = 0; i < size; i++) {
        start[i + 1] += start[i];
      }
      int[] fill = Arrays.copyOf(start, size);
      int[] list = new int[Math.max(0, size - 1)];
      for (int i = 1; i < size; i++) {
        list[fill[parent[i]]++] = i;
      }
      childStart = start;
      childList = list;
      childSorted = new boolean[size];
    }
    int from = childStart[node];
    int to = childStart[node + 1];
    if (!childSorted[node] && to - from > 1) {
      Integer[] slice = new Integer[to - from];
      for (int i = from; i < to; i++) {
        slice[i - from] = childList[i];
      }
      Arrays.sort(slice, (a, b) -> name(a).compareTo(name(b)));
      for (int i = from; i < to; i++) {
        childList[i] = slice[i - from];
      }
    }
    childSorted[node] = true;
    range[0] = from;
    range[1] = to;
    return childList;
  }
}
