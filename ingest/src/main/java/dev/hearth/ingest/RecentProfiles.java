package dev.hearth.ingest;

import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hashing;
import dev.hearth.model.Attribute;
import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fingerprints of the profiles written most recently, to drop exact duplicates: a client that
 * retries after a lost answer, or an agent that sends the same profile twice. A profile is a
 * duplicate when tenant, series, time, duration and every sample (stack, value, count, attributes,
 * timestamp) are the same. Only written profiles are remembered, so a retry of a failed write is
 * never dropped.
 */
final class RecentProfiles {
  private final int capacity;
  private final Map<Long, Boolean> seen;

  RecentProfiles(int capacity) {
    this.capacity = capacity;
    this.seen =
        new LinkedHashMap<>(16, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > RecentProfiles.this.capacity;
          }
        };
  }

  static long fingerprint(String tenant, Profile p) {
    HashStream64 h = Hashing.xxh3_64().hashStream();
    h.putString(tenant).putLong(p.seriesId()).putLong(p.timeNanos()).putLong(p.durationNanos());
    h.putInt(p.samples().size());
    for (Sample s : p.samples()) {
      h.putLong(s.stack().id()).putLong(s.value()).putLong(s.count()).putLong(s.timestampNanos());
      h.putInt(s.attributes().size());
      for (Attribute a : s.attributes()) {
        h.putString(a.key()).putString(a.str() == null ? "" : a.str()).putLong(a.num());
      }
    }
    return h.getAsLong();
  }

  synchronized boolean contains(long fingerprint) {
    return capacity > 0 && seen.containsKey(fingerprint);
  }

  synchronized void add(long fingerprint) {
    if (capacity > 0) {
      seen.put(fingerprint, Boolean.TRUE);
    }
  }
}
