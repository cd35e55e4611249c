package dev.hearth.query.flamegraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Function-level views read off a merged {@link CallTree} (side 0) rather than off every stack: a
 * node stands for all stacks through its path, so a function's outermost nodes carry exactly the
 * stacks that contain it, each once.
 */
public final class FunctionViews {
  private FunctionViews() {}

  /** Whether no ancestor of {@code node} has its name: the function's outermost occurrence. */
  private static boolean outermost(CallTree tree, int node) {
    int name = tree.nameId(node);
    for (int p = tree.parent(node); p > 0; p = tree.parent(p)) {
      if (tree.nameId(p) == name) {
        return false;
      }
    }
    return true;
  }

  /**
   * Per function name: self (stacks ending in it) and total (stacks containing it, counted once
   * however often it recurs), as {@code {self, total}}.
   */
  public static Map<String, long[]> selfAndTotal(CallTree tree) {
    Map<String, long[]> out = new HashMap<>();
    for (int node = 1; node < tree.size(); node++) {
      long[] v = out.computeIfAbsent(tree.name(node), k -> new long[2]);
      v[0] += tree.self(node, 0);
      if (outermost(tree, node)) {
        v[1] += tree.total(node, 0);
      }
    }
    return out;
  }

  /**
   * Callers and callees of {@code function} at its outermost occurrence on each path: the callers
   * tree holds the path from the function up to the root (inverted), the callees tree the subtree
   * below it, both rooted at the function.
   *
   * @return {callers, callees}
   */
  public static CallTree[] sandwich(CallTree tree, String function) {
    CallTree callers = new CallTree();
    CallTree callees = new CallTree();
    int[] range = new int[2];
    for (int node = 1; node < tree.size(); node++) {
      if (!tree.name(node).equals(function) || !outermost(tree, node)) {
        continue;
      }
      long total = tree.total(node, 0);
      long count = tree.count(node, 0);
      callers.addTotal(0, 0, total, count);
      int at = 0;
      for (int p = node; p > 0; p = tree.parent(p)) {
        at = callers.child(at, tree.name(p));
        callers.addTotal(at, 0, total, count);
      }
      callers.addSelf(at, 0, total);
      callees.addTotal(0, 0, total, count);
      copySubtree(tree, node, callees, callees.child(0, function), range);
    }
    return new CallTree[] {callers, callees};
  }

  /** Adds {@code from}'s values and its subtree's below {@code to}. */
  private static void copySubtree(CallTree tree, int from, CallTree out, int to, int[] range) {
    List<int[]> pending = new ArrayList<>();
    pending.add(new int[] {from, to});
    while (!pending.isEmpty()) {
      int[] pair = pending.removeLast();
      int n = pair[0];
      int o = pair[1];
      out.addTotal(o, 0, tree.total(n, 0), tree.count(n, 0));
      out.addSelf(o, 0, tree.self(n, 0));
      int[] children = tree.children(n, range);
      for (int i = range[0]; i < range[1]; i++) {
        int c = children[i];
        pending.add(new int[] {c, out.child(o, tree.name(c))});
      }
    }
  }
}
