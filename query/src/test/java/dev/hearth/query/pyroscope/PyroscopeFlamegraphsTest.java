package dev.hearth.query.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.query.flamegraph.Flamegraph;
import dev.hearth.query.pyroscope.proto.QuerierProto.FlameGraphDiff;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hearth's diff layout (both sides summed) as Pyroscope's (each side on its own axis). */
class PyroscopeFlamegraphsTest {

  @Test
  void eachSideIsLaidOutOnItsOwnValues() {
    // total(L10,R6) → a(L6,R2) → c(L4,R2); b(L4,R4) → d(L0,R3)
    Flamegraph hearth =
        new Flamegraph(
            Flamegraph.DIFF,
            "process_cpu:cpu:nanoseconds:cpu:nanoseconds",
            "nanoseconds",
            List.of("total", "a", "b", "c", "d"),
            List.of(
                new long[] {0, 16, 0, 10, 0, 0, 0},
                new long[] {0, 8, 2, 6, 2, 1, 0, 0, 8, 5, 4, 4, 2, 0},
                new long[] {0, 6, 6, 4, 4, 3, 0, 2, 3, 3, 0, 0, 4, 0}),
            16,
            6,
            5,
            false,
            10,
            6,
            100,
            60);
    FlameGraphDiff diff = PyroscopeFlamegraphs.diff(hearth);
    assertThat(diff.getLevelsList().stream().map(l -> l.getValuesList()).toList())
        .containsExactly(
            List.of(0L, 10L, 0L, 0L, 6L, 0L, 0L),
            List.of(0L, 6L, 2L, 0L, 2L, 0L, 1L, 0L, 4L, 4L, 0L, 4L, 1L, 2L),
            List.of(0L, 4L, 4L, 0L, 2L, 2L, 3L, 2L, 0L, 0L, 0L, 3L, 3L, 4L));
    assertThat(diff.getTotal()).isEqualTo(16);
    assertThat(diff.getLeftTicks()).isEqualTo(10);
    assertThat(diff.getRightTicks()).isEqualTo(6);
    assertThat(diff.getMaxSelf()).isEqualTo(4);
    assertThat(diff.getNamesList()).containsExactly("total", "a", "b", "c", "d");
  }

  @Test
  void syntheticLabelsSelectProfileTypes() {
    PyroscopeLabels.Split split =
        PyroscopeLabels.split(
            "matchers",
            "{__profile_type__=\"process_cpu:cpu:nanoseconds:cpu:nanoseconds\", service_name=\"api\"}");
    assertThat(split.labels().type()).isNotNull();
    assertThat(split.labelSelector()).isEqualTo("{service_name=\"api\"}");
    PyroscopeLabels.Split byName =
        PyroscopeLabels.split("matchers", "{__name__=~\"memory|off_cpu\"}");
    assertThat(byName.matches(dev.hearth.model.ProfileType.CPU)).isFalse();
    assertThat(byName.matches(dev.hearth.model.ProfileType.INUSE_SPACE)).isTrue();
    assertThat(byName.matches(dev.hearth.model.ProfileType.OFF_CPU)).isTrue();
  }
}
