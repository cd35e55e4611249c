package dev.hearth.ingest;

import dev.hearth.storage.ProfileWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The series each tenant wrote recently, to cap series per tenant. A series stays active for the
 * idle timeout after its last profile; a tenant at the cap may keep writing its active series but
 * gets no new one until others go idle.
 *
 * <p>Several servers share one cap: besides the series this server admitted, each tenant's count
 * includes the series the storage holds samples of within the idle timeout, written by any server
 * ({@link ProfileWriter#activeSeries}), reloaded in the background at most every {@link
 * #FLEET_REFRESH} while the tenant sends new series. Between reloads each server may admit new
 * series the others have just admitted too, so the cap can be overshot by what the fleet admits in
 * one refresh interval; a series already active anywhere is never refused.
 */
final class ActiveSeries {
  /** How stale the fleet-wide view of a tenant's series may get while it sends new series. */
  static final Duration FLEET_REFRESH = Duration.ofSeconds(10);

  private final int max;
  private final long idleNanos;
  private final ProfileWriter storage;
  private final long refreshNanos;
  private final Map<String, Tenant> byTenant = new HashMap<>();

  /** One tenant's series: those admitted here, and the fleet's as the storage last said. */
  private static final class Tenant {
    /** Series id → last profile (nanoTime); access order, least recently written first. */
    final LinkedHashMap<Long, Long> local = new LinkedHashMap<>(64, 0.75f, true);

    Set<Long> fleet = Set.of();

    /** How many of {@link #local} are not in {@link #fleet}. */
    int localOnly;

    long loadedAt;
    boolean loaded;
    boolean loading;

    int count() {
      return fleet.size() + localOnly;
    }
  }

  /**
   * @param storage asked for the series every server wrote
   * @param refresh how often that is asked again while a tenant sends new series
   */
  ActiveSeries(int max, Duration idle, ProfileWriter storage, Duration refresh) {
    this.max = max;
    this.idleNanos = idle.toNanos();
    this.storage = storage;
    this.refreshNanos = refresh.toNanos();
  }

  /** Marks the series active, or throws a 400 when the tenant is at its limit. */
  synchronized void admit(String tenant, long seriesId, String description) {
    long now = System.nanoTime();
    Tenant t = byTenant.computeIfAbsent(tenant, k -> new Tenant());
    if (t.local.get(seriesId) != null) {
      t.local.put(seriesId, now);
      return;
    }
    refreshIfStale(tenant, t, now);
    boolean counted = t.fleet.contains(seriesId);
    if (!counted && t.count() >= max) {
      expire(t, now);
    }
    if (!counted && t.count() >= max) {
      throw IngestException.invalid(
          "series_per_tenant",
          "tenant has "
              + t.count()
              + " active series; the limit (hearth.ingest.max-series-per-tenant) is "
              + max
              + "; refused new series "
              + description);
    }
    t.local.put(seriesId, now);
    if (!counted) {
      t.localOnly++;
    }
  }

  private void expire(Tenant t, long now) {
    Iterator<Map.Entry<Long, Long>> it = t.local.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Long> e = it.next();
      if (now - e.getValue() <= idleNanos) {
        break;
      }
      it.remove();
      if (!t.fleet.contains(e.getKey())) {
        t.localOnly--;
      }
    }
  }

  private void refreshIfStale(String tenant, Tenant t, long now) {
    if (t.loading || (t.loaded && now - t.loadedAt < refreshNanos)) {
      return;
    }
    t.loading = true;
    long sinceNanos = System.currentTimeMillis() * 1_000_000L - idleNanos;
    storage
        .activeSeries(tenant, sinceNanos, max + 1)
        .subscribe(ids -> loaded(t, ids, now), e -> loaded(t, null, now));
  }

  private synchronized void loaded(Tenant t, @Nullable Set<Long> ids, long startedAt) {
    t.loading = false;
    t.loaded = true;
    t.loadedAt = startedAt;
    if (ids == null) {
      return; // Storage unreachable: keep the last view; the next new series asks again later.
    }
    t.fleet = ids;
    int only = 0;
    for (Long id : t.local.keySet()) {
      if (!ids.contains(id)) {
        only++;
      }
    }
    t.localOnly = only;
  }
}
