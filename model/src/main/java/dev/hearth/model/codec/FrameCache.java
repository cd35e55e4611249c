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
  /**
   * Slots per kind unless {@code hearth.frame-cache.slots} (a system property) says otherwise: a
   * fleet's worth of distinct stacks, at most a few tens of MiB of frames when full.
   */
  public static final int DEFAULT_SLOTS = 1 << 17;

  private static final FrameCache SHARED =
      new FrameCache(Integer.getInteger("hearth.frame-cache.slots", DEFAULT_SLOTS));

  private final @Nullable Object[] functions;
  private final @Nullable Object[] locations;
  private final @Nullable Object[] stacks;
  private final int mask;

  /**
   * @param slots slots per kind, rounded up to a power of two (at least 2); 0 disables the cache
   */
  public FrameCache(int slots) {
    int size = slots <= 0 ? 0 : Integer.highestOneBit(slots);
    if (size < slots || size == 1) {
      size <<= 1; // and at least one pair
    }
    this.functions = new Object[size];
    this.locations = new Object[size];
    this.stacks = new Object[size];
    this.mask = size - 1;
  }

  /** The process-wide cache the decoders use. */
  public static FrameCache shared() {
    return SHARED;
  }

  public @Nullable Function function(long id) {
    return (Function) get(functions, id);
  }

  public void putFunction(Function function) {
    put(functions, function.id(), function);
  }

  public @Nullable Location location(long id) {
    return (Location) get(locations, id);
  }

  public void putLocation(Location location) {
    put(locations, location.id(), location);
  }

  public @Nullable Stack stack(long id) {
    return (Stack) get(stacks, id);
  }

  public void putStack(Stack stack) {
    put(stacks, stack.id(), stack);
  }

  private @Nullable Object get(@Nullable Object[] table, long id) {
    if (table.length == 0) {
      return null;
    }
    int slot = slot(id);
    Object first = table[slot];
    if (first != null && idOf(first) == id) {
      return first;
    }
    Object second = table[slot ^ 1];
    return second != null && idOf(second) == id ? second : null;
  }

  private void put(@Nullable Object[] table, long id, Object value) {
    if (table.length == 0) {
      return;
    }
    int slot = slot(id);
    Object first = table[slot];
    if (first == null || idOf(first) == id) {
      table[slot] = value;
      return;
    }
    Object second = table[slot ^ 1];
    if (second == null || idOf(second) == id) {
      table[slot ^ 1] = value;
      return;
    }
    table[slot ^ (int) ((id >>> 40) & 1)] = value;
  }

  private static long idOf(Object o) {
    // instanceof on these final classes is one class-pointer compare; a pattern switch went
    // through SwitchBootstraps.typeSwitch, 6% of a push benchmark's server CPU.
    if (o instanceof Stack s) {
      return s.id();
    }
    if (o instanceof Location l) {
      return l.id();
    }
    if (o instanceof Function f) {
      return f.id();
    }
    throw new IllegalStateException("not a frame: " + o);
  }

  private int slot(long key) {
    long h = key ^ (key >>> 29) ^ (key >>> 43);
    return (int) h & mask;
  }
}
