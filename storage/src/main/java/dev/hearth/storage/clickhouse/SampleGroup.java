package dev.hearth.storage.clickhouse;

import java.util.Arrays;

/**
 * The sample rows of one (time, profile type, series) in a batch: value and count summed per stack
 * id in primitive arrays, found through an open-addressing table, so a batch of tens of thousands
 * of samples makes no object per sample.
 */
final class SampleGroup {
  record Key(long tsMillis, String type, long seriesId) {}

  final Key key;
  private long[] stackIds;
  private long[] values;
  private long[] counts;
  private int size;

  /** Row index + 1 by slot; 0 is empty. Kept at most half full. */
  private int[] table;

  SampleGroup(Key key) {
    this(key, 64);
  }

  /**
   * A group sized for {@code expectedRows} (a profile's sample count), so it seldom grows; capped
   * at 16 Ki rows, so a profile of a million samples over few stacks does not reserve tens of MiB.
   */
  SampleGroup(Key key, int expectedRows) {
    this.key = key;
    int rows = Math.clamp(expectedRows, 16, 1 << 14);
    this.stackIds = new long[rows];
    this.values = new long[rows];
    this.counts = new long[rows];
    this.table = new int[Integer.highestOneBit(rows * 2 - 1) << 1];
  }

  /**
   * Adds a sample to its stack's row.
   *
   * @return true when the stack got a new row
   */
  boolean add(long stackId, long value, long count) {
    int mask = table.length - 1;
    int slot = mix(stackId) & mask;
    while (true) {
      int row = table[slot] - 1;
      if (row < 0) {
        break;
      }
      if (stackIds[row] == stackId) {
        values[row] += value;
        counts[row] += count;
        return false;
      }
      slot = (slot + 1) & mask;
    }
    if (size == stackIds.length) {
      int n = size * 2;
      stackIds = Arrays.copyOf(stackIds, n);
      values = Arrays.copyOf(values, n);
      counts = Arrays.copyOf(counts, n);
    }
    stackIds[size] = stackId;
    values[size] = value;
    counts[size] = count;
    table[slot] = ++size;
    if (size * 2 > table.length) {
      rehash();
    }
    return true;
  }

  int size() {
    return size;
  }

  long stackId(int row) {
    return stackIds[row];
  }

  long value(int row) {
    return values[row];
  }

  long count(int row) {
    return counts[row];
  }

  private void rehash() {
    int[] grown = new int[table.length * 2];
    int mask = grown.length - 1;
    for (int row = 0; row < size; row++) {
      int slot = mix(stackIds[row]) & mask;
      while (grown[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      grown[slot] = row + 1;
    }
    table = grown;
  }

  private static int mix(long id) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
