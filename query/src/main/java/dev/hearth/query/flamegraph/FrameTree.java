package dev.hearth.query.flamegraph;

import java.util.List;

/**
 * A call tree keyed by frame ids, ints the caller assigns (one per function id, or per location for
 * a frame named at query time), built from the ids storage returns for a merge; {@link #named}
 * turns it into the {@link CallTree} keyed by names that the encoder and the function views read.
 * Building on ids first means a stack costs a few int hashes per frame and each distinct frame is
 * named once, not once per stack; two frames with one name (one function in two files, or two
 * addresses symbolised to one function) are merged when the tree is named, as a tree built from
 * names merges them.
 */
public final class FrameTree {
  private final LabelTree t = new LabelTree(0);

  /** The names of a frame, outermost first (several for a frame with inlined functions). */
  @FunctionalInterface
  public interface FrameNames {
    List<String> rootFirst(int frame);
  }

  /** Nodes in the tree, the root included. */
  public long size() {
    return t.size;
  }

  /**
   * Adds one stack's value and count on a side.
   *
   * @param leafFirst frame ids, innermost first; {@code length} of them are read
   */
  public void add(int[] leafFirst, int length, int side, long value, long count) {
    int node = 0;
    t.addTotal(0, side, value, count);
    for (int i = length - 1; i >= 0; i--) {
      node = t.child(node, leafFirst[i]);
      t.addTotal(node, side, value, count);
    }
    t.addSelf(node, side, value);
  }

  /**
   * The same tree keyed by names: each frame node becomes the chain of its names, and nodes that
   * end up with the same name under the same parent are one node, their values summed.
   */
  public CallTree named(FrameNames names) {
    CallTree out = new CallTree();
    int[] to = new int[t.size];
    // Per frame id, its names' ids in the named tree, interned on first use.
    int[][] nameIds = new int[1024][];
    for (int side = 0; side < 2; side++) {
      out.addTotal(0, side, t.total[side], t.count[side]);
      out.addSelf(0, side, t.self[side]);
    }
    for (int node = 1; node < t.size; node++) {
      int at = to[t.parent[node]];
      int frame = t.label[node];
      if (frame >= nameIds.length) {
        nameIds = java.util.Arrays.copyOf(nameIds, Math.max(frame + 1, 2 * nameIds.length));
      }
      int[] ids = nameIds[frame];
      if (ids == null) {
        ids = names.rootFirst(frame).stream().mapToInt(out::intern).toArray();
        nameIds[frame] = ids;
      }
      for (int id : ids) {
        at = out.child(at, id);
        for (int side = 0; side < 2; side++) {
          out.addTotal(at, side, t.total[2 * node + side], t.count[2 * node + side]);
        }
      }
      // A frame without names adds nothing of its own: its values are already its parent's.
      for (int side = 0; side < 2; side++) {
        out.addSelf(at, side, t.self[2 * node + side]);
      }
      to[node] = at;
    }
    return out;
  }
}
