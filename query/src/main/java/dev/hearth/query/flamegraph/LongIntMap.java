package dev.hearth.query.flamegraph;

/**
 * Long keys to int values by open addressing, without boxing: call trees look up every frame of
 * every stack of a merge in one.
 */
public final class LongIntMap {
  public static final int ABSENT = -1;

  private long[] keys = new long[1024];
  private int[] values = new int[1024];
  private int size;
  private int zeroValue = ABSENT; // key 0 marks empty slots, so it is kept apart

  public int size() {
    return size;
  }

  public int get(long key) {
    if (key == 0) {
      return zeroValue;
    }
    int mask = keys.length - 1;
    for (int slot = (int) mix(key) & mask; keys[slot] != 0; slot = (slot + 1) & mask) {
      if (keys[slot] == key) {
        return values[slot];
      }
    }
    return ABSENT;
  }

  /** The value of {@code key}, set to {@code value} first when absent. */
  public int putIfAbsent(long key, int value) {
    if (key == 0) {
      if (zeroValue == ABSENT) {
        zeroValue = value;
        size++;
      }
      return zeroValue;
    }
    int mask = keys.length - 1;
    int slot = (int) mix(key) & mask;
    for (; keys[slot] != 0; slot = (slot + 1) & mask) {
      if (keys[slot] == key) {
        return values[slot];
      }
    }
    keys[slot] = key;
    values[slot] = value;
    if (++size * 2 > keys.length) {
      grow();
    }
    return value;
  }

  private static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    return k;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        int slot = (int) mix(oldKeys[i]) & mask;
        while (keys[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        values[slot] = oldValues[i];
      }
    }
  }
}
