package dev.hearth.ingest;

import dev.hearth.model.Deltas;
import dev.hearth.model.Profile;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The last cumulative profile of each series, for clients that send counters since process start
 * without the previous profile (Go's {@code alloc_*}, mutex and block types pushed through {@code
 * push.v1}): the next profile of the series becomes the delta between the two. The first profile of
 * a series gives no delta and is not stored. Bounded: the least recently seen series are forgotten.
 * The remembered profile advances only once the delta computed from it is written, so a failed
 * write does not lose its interval.
 */
final class CumulativeProfiles {
  private final int capacity;
  private final Map<Key, Profile> last;

  record Key(String tenant, long seriesId) {}

  CumulativeProfiles(int capacity) {
    this.capacity = capacity;
    this.last =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Profile> eldest) {
            return size() > CumulativeProfiles.this.capacity;
          }
        };
  }

  /** The delta since the series' previous profile, or null for a series' first profile. */
  synchronized @Nullable Profile delta(String tenant, Profile cumulative) {
    Profile prev = last.get(new Key(tenant, cumulative.seriesId()));
    if (prev == null) {
      if (capacity > 0) {
        last.put(new Key(tenant, cumulative.seriesId()), cumulative);
      }
      return null;
    }
    return Deltas.between(prev, cumulative);
  }

  /** Remembers {@code cumulative} as the series' latest, once its delta is stored. */
  synchronized void advance(String tenant, Profile cumulative) {
    if (capacity > 0) {
      Key key = new Key(tenant, cumulative.seriesId());
      Profile prev = last.get(key);
      if (prev == null || prev.timeNanos() <= cumulative.timeNanos()) {
        last.put(key, cumulative);
      }
    }
  }
}
