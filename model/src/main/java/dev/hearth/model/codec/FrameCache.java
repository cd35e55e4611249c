package dev.hearth.model.codec;

import dev.hearth.model.Function;
import dev.hearth.model.Location;
import dev.hearth.model.Stack;
import org.jspecify.annotations.Nullable;

/**
 * Model objects already built by a decoder, by content id, so the next payload of the same process
 * reuses them instead of building its functions, locations and stacks again: a producer sends the
 * same frames in every profile, and building them is most of a decode's time and garbage.
 *
 * <p>Each kind is a direct-mapped table of a fixed number of slots (a power of two): an entry lands
 * in the slot its id picks and replaces whatever was there. Lookups and stores take no lock; an
 * entry is an immutable object published by one reference write, so a reader sees either the old
 * entry or the new one. A miss costs only a rebuild, and memory is bounded by the slot counts. Ids
 * are the content hashes of {@link dev.hearth.model.Ids}, which the rest of Hearth already relies
 * on to tell entities apart.
 */
public final class FrameCache {
  /** Slots per kind unless {@code hearth.frame-cache.slots} (a system property) says otherwise. */
  public static final int DEFAULT_SLOTS = 1 << 16;

  private static final FrameCache SHARED =
      new FrameCache(Integer.getInteger("hearth.frame-cache.slots", DEFAULT_SLOTS));

  private record Entry(long key, Object value) {}

  private final Entry[] functions;
  private final Entry[] locations;
  private final Entry[] stacks;
  private final int mask;

  /**
   * @param slots slots per kind, rounded up to a power of two; 0 disables the cache
   */
  public FrameCache(int slots) {
    int size = slots <= 0 ? 0 : Integer.highestOneBit(slots);
    if (size < slots) {
      size <<= 1;
    }
    this.functions = new Entry[size];
    this.locations = new Entry[size];
    this.stacks = new Entry[size];
    this.mask = size - 1;
  }

  /** The process-wide cache the decoders use. */
  public static FrameCache shared() {
    return SHARED;
  }

  public int slots() {
    return stacks.length;
  }

  public @Nullable Function function(long id) {
    return (Function) get(functions, id);
  }

  public void putFunction(long id, Function function) {
    put(functions, id, function);
  }

  /**
   * A location by a key: its content id, or for a decoder's synthetic frames any key the decoder
   * derives from what it read.
   */
  public @Nullable Location location(long key) {
    return (Location) get(locations, key);
  }

  public void putLocation(long key, Location location) {
    put(locations, key, location);
  }

  public @Nullable Stack stack(long id) {
    return (Stack) get(stacks, id);
  }

  public void putStack(long id, Stack stack) {
    put(stacks, id, stack);
  }

  private @Nullable Object get(Entry[] table, long key) {
    if (table.length == 0) {
      return null;
    }
    Entry e = table[slot(key)];
    return e != null && e.key == key ? e.value : null;
  }

  private void put(Entry[] table, long key, Object value) {
    if (table.length > 0) {
      table[slot(key)] = new Entry(key, value);
    }
  }

  private int slot(long key) {
    long h = key ^ (key >>> 29) ^ (key >>> 43);
    return (int) h & mask;
  }
}
