package dev.hearth.ingest;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The series each tenant wrote recently, to cap series per tenant. A series stays active for the
 * idle timeout after its last profile; a tenant at the cap may keep writing its active series but
 * gets no new one until others go idle.
 */
final class ActiveSeries {
  private final int max;
  private final long idleNanos;
  private final Map<String, LinkedHashMap<Long, Long>> byTenant = new HashMap<>();

  ActiveSeries(int max, java.time.Duration idle) {
    this.max = max;
    this.idleNanos = idle.toNanos();
  }

  /** Marks the series active, or throws a 400 when the tenant is at its limit. */
  synchronized void admit(String tenant, long seriesId, String description) {
    long now = System.nanoTime();
    // Access order: the least recently written series come first, so expiry stops early.
    LinkedHashMap<Long, Long> series =
        byTenant.computeIfAbsent(tenant, t -> new LinkedHashMap<>(64, 0.75f, true));
    if (series.get(seriesId) != null) {
      series.put(seriesId, now);
      return;
    }
    if (series.size() >= max) {
      Iterator<Long> it = series.values().iterator();
      while (it.hasNext() && now - it.next() > idleNanos) {
        it.remove();
      }
    }
    if (series.size() >= max) {
      throw IngestException.invalid(
          "series_per_tenant",
          "tenant has "
              + series.size()
              + " active series; the limit (hearth.ingest.max-series-per-tenant) is "
              + max
              + "; refused new series "
              + description);
    }
    series.put(seriesId, now);
  }
}
