package dev.hearth.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The writer's set of written dictionary keys: holds a working set well below its size. */
class KnownKeysTest {
  @Test
  void remembersKeysAndZeroSizeHoldsNone() {
    KnownKeys keys = new KnownKeys(1000);
    assertThat(keys.capacity()).isEqualTo(1024);
    keys.add(42);
    keys.add(0);
    assertThat(keys.contains(42)).isTrue();
    assertThat(keys.contains(0)).isTrue();
    assertThat(keys.contains(43)).isFalse();
    KnownKeys none = new KnownKeys(0);
    none.add(42);
    assertThat(none.contains(42)).isFalse();
    assertThat(new KnownKeys(3).capacity()).isEqualTo(KnownKeys.WAYS);
  }

  /**
   * The bench's shape that a direct-mapped table got wrong: a working set at a quarter of the size,
   * seen again and again. Every key must still be known on the second pass, or its dictionary rows
   * are written again with every batch.
   */
  @Test
  void workingSetAtAQuarterOfTheSizeIsNotForgotten() {
    KnownKeys keys = new KnownKeys(1 << 20);
    SplittableRandom r = new SplittableRandom(17);
    List<Long> working = new ArrayList<>();
    for (int i = 0; i < (1 << 18); i++) {
      working.add(r.nextLong());
    }
    for (int pass = 0; pass < 3; pass++) {
      working.forEach(keys::add);
    }
    long forgotten = working.stream().filter(k -> !keys.contains(k)).count();
    assertThat(forgotten).isLessThan(working.size() / 1000);
  }

  @Test
  void aFullBucketReplacesOneOfItsKeys() {
    KnownKeys keys = new KnownKeys(KnownKeys.WAYS); // one bucket
    for (long k = 1; k <= KnownKeys.WAYS; k++) {
      keys.add(k);
    }
    for (long k = 1; k <= KnownKeys.WAYS; k++) {
      assertThat(keys.contains(k)).isTrue();
    }
    keys.add(100);
    assertThat(keys.contains(100)).isTrue();
    long still = 0;
    for (long k = 1; k <= KnownKeys.WAYS; k++) {
      still += keys.contains(k) ? 1 : 0;
    }
    assertThat(still).isEqualTo(KnownKeys.WAYS - 1);
  }
}
