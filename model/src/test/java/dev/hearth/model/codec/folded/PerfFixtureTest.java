package dev.hearth.model.codec.folded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.codec.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** perf record → perf script → the repo's collapser → folded stacks decode to the C program. */
class PerfFixtureTest {

  @Test
  void foldedPerfStacksNameTheCFunctionsRootFirst() throws Exception {
    long periodNanos = 1_000_000_000L / 199;
    Profile p =
        FoldedCodec.decode(Fixtures.bytes("perf.folded"), ProfileType.CPU, periodNanos, 0, 0);
    assertThat(p.samples())
        .anySatisfy(
            s ->
                assertThat(s.stack().functionNamesRootFirst())
                    .containsSubsequence(
                        "main", "hearth_outer", "hearth_middle", "hearth_leaf_compute")
                    .endsWith("hearth_leaf_compute"));
    assertThat(p.samples())
        .anySatisfy(s -> assertThat(s.stack().functionNamesRootFirst()).contains("vfs_read_[k]"));
    assertThat(p.totalValue()).isEqualTo(p.totalCount() * periodNanos);
    List<String> roots =
        p.samples().stream()
            .map(s -> s.stack().functionNamesRootFirst().getFirst())
            .distinct()
            .toList();
    assertThat(roots).containsExactly("hearth_work");
  }
}
