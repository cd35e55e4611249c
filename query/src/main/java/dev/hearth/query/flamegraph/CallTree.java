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
 * <p>Nodes are ints into parallel arrays and children are found through one open-addressing table
 * keyed by (parent, name): a fleet-wide merge builds trees of a million nodes, which as objects
 * with a map each cost more than the query itself.
 */
public final class CallTree {
  public static final String ROOT = "total";
  static final int NONE = -1;

  private final Map<String, Integer> nameIds = new HashMap<>();
  private final List<String> names = new ArrayList<>();

  private int size;
  private int[] parent = new int[1024];
  private int[] name = new int[1024];
  private long[] total = new long[2048];
  private long[] self = new long[2048];
  private long[] count = new long[2048];

  // (parent << 32 | name) + 1 → child; 0 marks an empty slot.
  private long[] keys = new long[2048];
  private int[] values = new int[2048];

  // Children of each node, built on first use by the encoder (see children()).
  private int @org.jspecify.annotations.Nullable [] childStart;
  private int @org.jspecify.annotations.Nullable [] childList;
  private boolean @org.jspecify.annotations.Nullable [] childSorted;

  public CallTree() {
    newNode(NONE, intern(ROOT));
  }

  private int intern(String n) {
    Integer id = nameIds.get(n);
    if (id == null) {
      id = names.size();
      names.add(n);
      nameIds.put(n, id);
    }
    return id;
  }

  private int newNode(int parentNode, int nameId) {
    if (size == parent.length) {
      int n = size * 2;
      parent = Arrays.copyOf(parent, n);
      name = Arrays.copyOf(name, n);
      total = Arrays.copyOf(total, 2 * n);
      self = Arrays.copyOf(self, 2 * n);
      count = Arrays.copyOf(count, 2 * n);
    }
    parent[size] = parentNode;
    name[size] = nameId;
    childStart = null;
    return size++;
  }

  private int child(int node, int nameId) {
    long key = (((long) node << 32) | nameId) + 1;
    int mask = keys.length - 1;
    int slot = (int) mix(key) & mask;
    while (keys[slot] != 0) {
      if (keys[slot] == key) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    int c = newNode(node, nameId);
    keys[slot] = key;
    values[slot] = c;
    if (size * 2 > keys.length) {
      rehash();
    }
    return c;
  }

  private static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    return k;
  }

  private void rehash() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        int slot = (int) mix(oldKeys[i]) & mask;
        while (keys[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        values[slot] = oldValues[i];
      }
    }
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
    int node = 0;
    total[side] += value;
    this.count[side] += count;
    for (String n : rootFirst) {
      node = child(node, intern(n));
      total[2 * node + side] += value;
      this.count[2 * node + side] += count;
    }
    self[2 * node + side] += value;
  }

  // Accessors for the encoder; node 0 is the root.

  String name(int node) {
    return names.get(name[node]);
  }

  long total(int node, int side) {
    return total[2 * node + side];
  }

  long self(int node, int side) {
    return self[2 * node + side];
  }

  long count(int node, int side) {
    return count[2 * node + side];
  }

  long combinedTotal(int node) {
    return total[2 * node] + total[2 * node + 1];
  }

  /**
   * The children of {@code node} in name order, as a slice {@code [from, to)} of the returned
   * array.
   */
  int[] children(int node, int[] range) {
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
