package dev.hearth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProfileTypeTest {

  @Test
  void parsesAndPrintsPyroscopeIds() {
    ProfileType t = ProfileType.parse("process_cpu:cpu:nanoseconds:cpu:nanoseconds");
    assertThat(t).isEqualTo(ProfileType.CPU);
    assertThat(t.id()).isEqualTo("process_cpu:cpu:nanoseconds:cpu:nanoseconds");
    assertThat(ProfileType.BLOCK_IO_LATENCY.id())
        .isEqualTo("block_io:latency:nanoseconds:io:count");
    assertThat(ProfileType.INUSE_SPACE.id()).isEqualTo("memory:inuse_space:bytes:space:bytes");
  }

  @Test
  void reportsWhatIsWrong() {
    assertThatThrownBy(() -> ProfileType.parse("process_cpu:cpu"))
        .hasMessageContaining("has 2 parts");
    assertThatThrownBy(() -> ProfileType.parse("a::c:d:e")).hasMessageContaining("sample type");
    assertThatThrownBy(() -> new ProfileType("a{", "b", "c", "d", "e"))
        .hasMessageContaining("'{' at position 1");
  }

  @Test
  void inuseTypesAverageAndEverythingElseSums() {
    assertThat(ProfileType.INUSE_SPACE.aggregation()).isEqualTo(Aggregation.AVERAGE);
    assertThat(ProfileType.INUSE_OBJECTS.aggregation()).isEqualTo(Aggregation.AVERAGE);
    assertThat(ProfileType.ALLOC_SPACE.aggregation()).isEqualTo(Aggregation.SUM);
    assertThat(ProfileType.CPU.aggregation()).isEqualTo(Aggregation.SUM);
    assertThat(ProfileType.OFF_CPU.aggregation()).isEqualTo(Aggregation.SUM);
    // Three profiles of 300, 600 and 900 live bytes: 600 live on average, 1800 allocated in all.
    assertThat(Aggregation.AVERAGE.combine(1800, 3)).isEqualTo(600.0);
    assertThat(Aggregation.SUM.combine(1800, 3)).isEqualTo(1800.0);
    assertThat(Aggregation.AVERAGE.combine(0, 0)).isZero();
  }
}
