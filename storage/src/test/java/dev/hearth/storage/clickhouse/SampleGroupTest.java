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
}
