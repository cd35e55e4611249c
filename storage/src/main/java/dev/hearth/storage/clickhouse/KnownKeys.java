package dev.hearth.storage.clickhouse;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A set of 64-bit keys that forgets: a direct-mapped table where a key lands in the slot its bits
 * pick and replaces the key that was there. It answers "written before?" with one memory read,
 * takes no lock and costs 8 bytes a slot, where a general cache costs a hundred bytes an entry and
 * bookkeeping on every hit. Forgetting a key costs only writing its row again, which the {@code
 * ReplacingMergeTree} dictionaries fold away.
 */
final class KnownKeys {
  private final AtomicLongArray slots;
  private final int mask;

  /**
   * @param size keys to hold, rounded up to a power of two; 0 holds none
   */
  KnownKeys(long size) {
    long n = size <= 0 ? 0 : Long.highestOneBit(Math.min(size, 1L << 30));
    if (n < size && n < (1L << 30)) {
      n <<= 1;
    }
    this.slots = new AtomicLongArray((int) n);
    this.mask = (int) n - 1;
  }

  boolean contains(long key) {
    if (mask < 0) {
      return false;
    }
    long k = nonZero(key);
    return slots.getOpaque(slot(k)) == k;
  }

  void add(long key) {
    if (mask >= 0) {
      long k = nonZero(key);
      slots.setOpaque(slot(k), k);
    }
  }

  int capacity() {
    return slots.length();
  }

  private int slot(long k) {
    return (int) (k ^ (k >>> 32)) & mask;
  }

  /** 0 marks an empty slot. */
  private static long nonZero(long key) {
    return key == 0 ? 1 : key;
  }
}
