package dev.hearth.server.storage;

import dev.hearth.storage.ProfileStore;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code /health}'s {@code clickhouse} component: a query round trip, the engine's version, and for
 * the embedded engine its pid and restart count. DOWN while the engine is unreachable.
 */
@Component("clickhouse")
public class ClickHouseHealthIndicator implements ReactiveHealthIndicator {
  private final ProfileStore store;

  public ClickHouseHealthIndicator(ProfileStore store) {
    this.store = store;
  }

  @Override
  public Mono<Health> health() {
    return store
        .check()
        .map(h -> (h.up() ? Health.up() : Health.down()).withDetails(h.details()).build());
  }
}
