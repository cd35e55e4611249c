package dev.hearth.query.flamegraph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.codec.folded.FoldedCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@link CallTree#addSorted} builds the tree {@link CallTree#add} builds, stack by stack. */
class CallTreeSortedTest {
  private static final ObjectMapper json = new ObjectMapper();

  /** Paths of one or two sides, handed to {@link CallTree#addSorted} in sorted order. */
  private static final class Paths {
    final List<int[]> paths = new ArrayList<>();
    final List<long[]> sideValueCount = new ArrayList<>();

    void add(CallTree tree, List<String> rootFirst, int side, long value, long count) {
      int[] ids = new int[rootFirst.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = tree.intern(rootFirst.get(i));
      }
      paths.add(ids);
      sideValueCount.add(new long[] {side, value, count});
    }

    boolean addTo(CallTree tree, long maxNodes) {
      int n = paths.size();
      int[] start = new int[n + 1];
      for (int i = 0; i < n; i++) {
        start[i + 1] = start[i] + paths.get(i).length;
      }
      int[] names = new int[start[n]];
      int[] side = new int[n];
      long[] value = new long[n];
      long[] count = new long[n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(paths.get(i), 0, names, start[i], paths.get(i).length);
        side[i] = (int) sideValueCount.get(i)[0];
        value[i] = sideValueCount.get(i)[1];
        count[i] = sideValueCount.get(i)[2];
      }
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Arrays.compare(paths.get(a), paths.get(b)));
      return tree.addSorted(
          names,
          start,
          Arrays.stream(order).mapToInt(Integer::intValue).toArray(),
          side,
          value,
          count,
          maxNodes);
    }
  }

  private static void add(CallTree tree, Paths paths, String folded, int side) throws Exception {
    Profile p =
        FoldedCodec.decode(
            folded.getBytes(StandardCharsets.UTF_8), ProfileType.CPU_SAMPLES, 1, 0, 0);
    for (Sample s : p.samples()) {
      paths.add(tree, s.stack().functionNamesRootFirst(), side, s.value(), s.count());
    }
  }

  private static String encode(CallTree tree, int maxNodes, boolean diff) {
    return FlamegraphEncoder.encode(
            tree,
            ProfileType.CPU_SAMPLES.id(),
            ProfileType.CPU_SAMPLES.sampleUnit(),
            maxNodes,
            diff)
        .toJson();
  }

  static java.util.stream.Stream<Path> fixtures() throws java.io.IOException {
    return FlamegraphFixturesTest.fixtures();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void sortedPathsGiveTheFixturesJson(Path file) throws Exception {
    JsonNode fixture = json.readTree(file.toFile());
    CallTree tree = new CallTree();
    Paths paths = new Paths();
    boolean diff = fixture.has("left");
    if (diff) {
      add(tree, paths, fixture.get("left").asString(), 0);
      add(tree, paths, fixture.get("right").asString(), 1);
    } else {
      add(tree, paths, fixture.get("folded").asString(), 0);
    }
    assertThat(paths.addTo(tree, Long.MAX_VALUE)).isTrue();
    assertThat(json.readTree(encode(tree, fixture.get("maxNodes").asInt(), diff)))
        .isEqualTo(fixture.get("expected"));
  }

  @Test
  void randomPathsGiveTheSameTreeAsAddingStackByStack() {
    Random random = new Random(7);
    CallTree byStack = new CallTree();
    CallTree sorted = new CallTree();
    Paths paths = new Paths();
    for (int i = 0; i < 2000; i++) {
      // Short alphabets and depths make shared prefixes, repeats, prefixes of other paths and
      // empty paths.
      List<String> rootFirst = new ArrayList<>();
      int depth = random.nextInt(7);
      for (int d = 0; d < depth; d++) {
        rootFirst.add("f" + random.nextInt(5));
      }
      int side = random.nextInt(2);
      long value = 1 + random.nextInt(100);
      long count = 1 + random.nextInt(3);
      byStack.add(rootFirst, side, value, count);
      paths.add(sorted, rootFirst, side, value, count);
    }
    assertThat(paths.addTo(sorted, Long.MAX_VALUE)).isTrue();
    assertThat(sorted.size()).isEqualTo(byStack.size());
    assertThat(encode(sorted, 100_000, true)).isEqualTo(encode(byStack, 100_000, true));
    assertThat(encode(sorted, 50, true)).isEqualTo(encode(byStack, 50, true));
    // Sorted paths go only into a tree of its root; paths added later through child() find the
    // sorted nodes.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> paths.addTo(sorted, Long.MAX_VALUE))
        .isInstanceOf(IllegalStateException.class);
    sorted.add(List.of("f1", "f2"), 0, 5, 1);
    byStack.add(List.of("f1", "f2"), 0, 5, 1);
    assertThat(encode(sorted, 100_000, true)).isEqualTo(encode(byStack, 100_000, true));
  }

  @Test
  void stopsPastTheNodeLimit() {
    for (long max : new long[] {5, 4}) {
      CallTree tree = new CallTree();
      Paths paths = new Paths();
      paths.add(tree, List.of("a", "b", "c"), 0, 1, 1);
      paths.add(tree, List.of("a", "d"), 0, 1, 1);
      // root, a, b, c, d: five nodes
      assertThat(paths.addTo(tree, max)).isEqualTo(max == 5);
    }
  }
}
