package dev.hearth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeltasTest {
  private static final Stack A = Stack.ofFunctionNamesRootFirst(List.of("main", "a"));
  private static final Stack B = Stack.ofFunctionNamesRootFirst(List.of("main", "b"));
  private static final Stack C = Stack.ofFunctionNamesRootFirst(List.of("main", "c"));

  private static Profile cumulative(long time, List<Sample> samples) {
    return new Profile(
        ProfileType.ALLOC_SPACE,
        LabelSet.of("service_name", "api"),
        time,
        0,
        512 * 1024,
        Temporality.CUMULATIVE,
        samples);
  }

  @Test
  void subtractsThePreviousCounterPerStack() {
    Profile before = cumulative(1_000, List.of(Sample.of(A, 100, 1), Sample.of(B, 50, 1)));
    Profile after =
        cumulative(
            11_000,
            List.of(
                Sample.of(A, 70, 2), Sample.of(A, 80, 1), Sample.of(B, 50, 1), Sample.of(C, 5, 1)));

    Profile delta = Deltas.between(before, after);

    Map<Stack, Long> values =
        delta.samples().stream().collect(Collectors.toMap(Sample::stack, Sample::value));
    assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of(A, 50L, C, 5L));
    assertThat(delta.samples())
        .filteredOn(s -> s.stack().equals(A))
        .first()
        .extracting(Sample::count)
        .isEqualTo(2L);
    assertThat(delta.temporality()).isEqualTo(Temporality.DELTA);
    assertThat(delta.timeNanos()).isEqualTo(1_000);
    assertThat(delta.durationNanos()).isEqualTo(10_000);
    assertThat(delta.labels()).isEqualTo(after.labels());
  }

  @Test
  void aCounterThatWentDownIsAResetAndKeepsItsValue() {
    Profile before = cumulative(1_000, List.of(Sample.of(A, 100, 10)));
    Profile after = cumulative(2_000, List.of(Sample.of(A, 30, 3)));
    assertThat(Deltas.between(before, after).samples()).containsExactly(Sample.of(A, 30, 3));
  }

  @Test
  void refusesProfilesOfDifferentTypes() {
    Profile before = cumulative(1, List.of());
    Profile after =
        new Profile(ProfileType.CPU, LabelSet.EMPTY, 2, 0, 0, Temporality.DELTA, List.of());
    assertThatThrownBy(() -> Deltas.between(before, after)).hasMessageContaining("cannot subtract");
  }
}
