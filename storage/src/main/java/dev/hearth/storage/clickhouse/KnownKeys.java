package dev.hearth.storage.clickhouse;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A set of 64-bit keys that forgets: an 8-way set-associative table. A key's bits pick a bucket of
 * eight slots (one 64-byte cache line); it takes the first free slot there, and once the bucket is
 * full it replaces a slot its bits pick. "Written before?" costs one cache line read, takes no lock
 * and 8 bytes a slot, where a general cache costs a hundred bytes an entry and bookkeeping on every
 * hit. Forgetting a key costs only writing its row again, which the {@code ReplacingMergeTree}
 * dictionaries fold away.
 *
 * <p>Why eight ways: with one slot per key position (direct-mapped), two keys of a working set
 * landing on the same slot push each other out for ever. At a quarter full that was a fifth of the
 * keys, and the writer wrote those dictionary rows again with every batch. With eight ways a bucket
 * overflows only when nine keys of the working set share it, which below half full is rare (under 1
 * in 10^3 of buckets at a quarter).
 */
final class KnownKeys {
  static final int WAYS = 8;

  private final AtomicLongArray slots;
  private final int bucketMask;

  /**
   * @param size keys to hold, rounded up to a power of two (at least {@link #WAYS}); 0 holds none
   */
  KnownKeys(long size) {
    long n = size <= 0 ? 0 : Math.max(WAYS, Long.highestOneBit(Math.min(size, 1L << 30)));
    if (n < size && n < (1L << 30)) {
      n <<= 1;
    }
    this.slots = new AtomicLongArray((int) n);
    this.bucketMask = (int) (n / WAYS) - 1;
  }

  boolean contains(long key) {
    if (bucketMask < 0) {
      return false;
    }
    long k = nonZero(key);
    int base = bucket(k);
    for (int i = 0; i < WAYS; i++) {
      long v = slots.getOpaque(base + i);
      if (v == k) {
        return true;
      }
      if (v == 0) {
        return false; // slots fill in order: none after an empty one
      }
    }
    return false;
  }

  void add(long key) {
    if (bucketMask < 0) {
      return;
    }
    long k = nonZero(key);
    int base = bucket(k);
    for (int i = 0; i < WAYS; i++) {
      long v = slots.getOpaque(base + i);
      if (v == k) {
        return;
      }
      if (v == 0) {
        if (slots.compareAndSet(base + i, 0, k)) {
          return;
        }
        if (slots.getOpaque(base + i) == k) {
          return; // another thread added the same key
        }
      }
    }
    // Full: the victim is picked by bits the bucket index does not use, so it varies by key.
    slots.setOpaque(base + (int) (k >>> 61), k);
  }

  int capacity() {
    return slots.length();
  }

  private int bucket(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return ((int) (h >>> 32) & bucketMask) * WAYS;
  }

  /** 0 marks an empty slot. */
  private static long nonZero(long key) {
    return key == 0 ? 1 : key;
  }
}
