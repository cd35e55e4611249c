package dev.hearth.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocationTest {
  private static final Mapping CHAIN = Mapping.of("/opt/app/chain", "27fa8849", "gnu");

  @Test
  void onlyTheSyntheticFileOffsetFrameCountsAsUnsymbolized() {
    assertThat(Location.unsymbolized(CHAIN, 0x1224, "native").isUnsymbolized()).isTrue();
    assertThat(Location.unsymbolized(CHAIN, 0x1224, "native").function().name())
        .isEqualTo("chain+0x1224");
    // Named by the producer, even with the same mapping and address.
    assertThat(
            Location.of(CHAIN, 0x1224, List.of(new Line(Function.of("hot"), 0, 0)), "native")
                .isUnsymbolized())
        .isFalse();
    // A function that merely looks synthetic but carries a file, or another address's name.
    assertThat(
            Location.of(
                    CHAIN,
                    0x1224,
                    List.of(new Line(Function.of("chain+0x1224", "", "chain.c", 0), 0, 0)),
                    "native")
                .isUnsymbolized())
        .isFalse();
    assertThat(
            Location.of(
                    CHAIN, 0x1224, List.of(new Line(Function.of("chain+0x1000"), 0, 0)), "native")
                .isUnsymbolized())
        .isFalse();
    // Frames without a mapping (folded stacks, JFR) are never candidates.
    assertThat(Location.of(Function.of("unknown+0x10")).isUnsymbolized()).isFalse();
  }
}
