package dev.hearth.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The batch's per-stack sums agree with a plain map, through growth and colliding ids. */
class SampleGroupTest {
  @Test
  void sumsPerStackLikeAMap() {
    SampleGroup g = new SampleGroup(new SampleGroup.Key(1000, "cpu", 7));
    Map<Long, long[]> want = new HashMap<>();
    SplittableRandom r = new SplittableRandom(1);
    int newRows = 0;
    for (int i = 0; i < 50_000; i++) {
      // Few distinct ids, some differing only in high bits, so slots collide and rows repeat.
      long id = r.nextInt(3000) | ((long) r.nextInt(4) << 60);
      long value = r.nextInt(100);
      long count = r.nextInt(3);
      if (g.add(id, value, count)) {
        newRows++;
      }
      long[] sums = want.computeIfAbsent(id, k -> new long[2]);
      sums[0] += value;
      sums[1] += count;
    }
    assertThat(g.size()).isEqualTo(want.size()).isEqualTo(newRows);
    for (int row = 0; row < g.size(); row++) {
      long[] sums = want.get(g.stackId(row));
      assertThat(new long[] {g.value(row), g.count(row)}).isEqualTo(sums);
    }
  }

  @Test
  void knownKeysRememberUntilOverwrittenAndZeroHoldsNone() {
    KnownKeys keys = new KnownKeys(1000);
    assertThat(keys.capacity()).isEqualTo(1024);
    keys.add(42);
    keys.add(0);
    assertThat(keys.contains(42)).isTrue();
    assertThat(keys.contains(0)).isTrue();
    assertThat(keys.contains(43)).isFalse();
    // A key landing in 42's slot replaces it.
    long rival = 42 + 1024;
    keys.add(rival);
    assertThat(keys.contains(rival)).isTrue();
    assertThat(keys.contains(42)).isFalse();
    KnownKeys none = new KnownKeys(0);
    none.add(42);
    assertThat(none.contains(42)).isFalse();
  }
}
