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

  private final @Nullable Function[] functions;
  private final @Nullable Location[] locations;
  private final @Nullable Stack[] stacks;
  private final int mask;

  /**
   * @param slots slots per kind, rounded up to a power of two; 0 disables the cache
   */
  public FrameCache(int slots) {
    int size = slots <= 0 ? 0 : Integer.highestOneBit(slots);
    if (size < slots) {
      size <<= 1;
    }
    this.functions = new Function[size];
    this.locations = new Location[size];
    this.stacks = new Stack[size];
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
    if (functions.length == 0) {
      return null;
    }
    Function f = functions[slot(id)];
    return f != null && f.id() == id ? f : null;
  }

  public void putFunction(Function function) {
    if (functions.length > 0) {
      functions[slot(function.id())] = function;
    }
  }

  public @Nullable Location location(long id) {
    if (locations.length == 0) {
      return null;
    }
    Location l = locations[slot(id)];
    return l != null && l.id() == id ? l : null;
  }

  public void putLocation(Location location) {
    if (locations.length > 0) {
      locations[slot(location.id())] = location;
    }
  }

  public @Nullable Stack stack(long id) {
    if (stacks.length == 0) {
      return null;
    }
    Stack s = stacks[slot(id)];
    return s != null && s.id() == id ? s : null;
  }

  public void putStack(Stack stack) {
    if (stacks.length > 0) {
      stacks[slot(stack.id())] = stack;
    }
  }

  private int slot(long key) {
    long h = key ^ (key >>> 29) ^ (key >>> 43);
    return (int) h & mask;
  }
}
