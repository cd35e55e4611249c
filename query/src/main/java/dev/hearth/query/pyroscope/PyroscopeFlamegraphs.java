package dev.hearth.query.pyroscope;

import dev.hearth.query.flamegraph.Flamegraph;
import dev.hearth.query.pyroscope.proto.QuerierProto.FlameGraph;
import dev.hearth.query.pyroscope.proto.QuerierProto.FlameGraphDiff;
import dev.hearth.query.pyroscope.proto.QuerierProto.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Hearth flamegraphs as Pyroscope's flamebearer messages. A single flamegraph's nodes are {@code
 * [xDelta, total, self, name]} in both, so they are copied; a diff's Hearth nodes {@code [xDelta,
 * total, self, leftTotal, leftSelf, name, zMilli]} (laid out on both sides' sum) become Pyroscope's
 * {@code [leftXDelta, leftTotal, leftSelf, rightXDelta, rightTotal, rightSelf, name]}, each side
 * laid out on its own values.
 */
final class PyroscopeFlamegraphs {
  private PyroscopeFlamegraphs() {}

  static FlameGraph single(Flamegraph fg) {
    FlameGraph.Builder b =
        FlameGraph.newBuilder()
            .addAllNames(fg.names())
            .setTotal(fg.total())
            .setMaxSelf(fg.maxSelf());
    int stride = fg.stride();
    for (long[] level : fg.levels()) {
      Level.Builder l = Level.newBuilder();
      for (int i = 0; i + stride <= level.length; i += stride) {
        l.addValues(level[i])
            .addValues(level[i + 1])
            .addValues(level[i + 2])
            .addValues(level[i + 3]);
      }
      b.addLevels(l);
    }
    return b.build();
  }

  /** A node of a Hearth diff with its place: absolute start on the combined axis. */
  private record Node(long x, long total, long self, long leftTotal, long leftSelf, long name) {
    long rightTotal() {
      return total - leftTotal;
    }

    long rightSelf() {
      return self - leftSelf;
    }
  }

  static FlameGraphDiff diff(Flamegraph fg) {
    FlameGraphDiff.Builder b =
        FlameGraphDiff.newBuilder()
            .addAllNames(fg.names())
            .setTotal(fg.leftTotal() + fg.rightTotal())
            .setLeftTicks(fg.leftTotal())
            .setRightTicks(fg.rightTotal());
    int stride = fg.stride();
    long maxSelf = 0;
    // Per level the nodes with their combined-axis start; each side's start is its parent's start
    // on that side plus the totals of the earlier siblings on that side.
    List<Node> parents = List.of();
    long[] parentLeftX = new long[0];
    long[] parentRightX = new long[0];
    for (long[] values : fg.levels()) {
      List<Node> nodes = new ArrayList<>();
      long x = 0;
      for (int i = 0; i + stride <= values.length; i += stride) {
        long start = x + values[i];
        nodes.add(
            new Node(
                start, values[i + 1], values[i + 2], values[i + 3], values[i + 4], values[i + 5]));
        x = start + values[i + 1];
      }
      long[] leftX = new long[nodes.size()];
      long[] rightX = new long[nodes.size()];
      Level.Builder level = Level.newBuilder();
      int p = 0;
      long leftCursor = 0;
      long rightCursor = 0;
      long leftEnd = 0;
      long rightEnd = 0;
      for (int i = 0; i < nodes.size(); i++) {
        Node n = nodes.get(i);
        if (!parents.isEmpty()) {
          int before = p;
          while (p < parents.size() - 1 && n.x() >= parents.get(p).x() + parents.get(p).total()) {
            p++;
          }
          if (i == 0 || p != before) {
            leftCursor = parentLeftX[p];
            rightCursor = parentRightX[p];
          }
        }
        leftX[i] = leftCursor;
        rightX[i] = rightCursor;
        level
            .addValues(leftCursor - leftEnd)
            .addValues(n.leftTotal())
            .addValues(n.leftSelf())
            .addValues(rightCursor - rightEnd)
            .addValues(n.rightTotal())
            .addValues(n.rightSelf())
            .addValues(n.name());
        maxSelf = Math.max(maxSelf, Math.max(n.leftSelf(), n.rightSelf()));
        leftCursor += n.leftTotal();
        rightCursor += n.rightTotal();
        leftEnd = leftCursor;
        rightEnd = rightCursor;
      }
      b.addLevels(level);
      parents = nodes;
      parentLeftX = leftX;
      parentRightX = rightX;
    }
    return b.setMaxSelf(maxSelf).build();
  }
}
