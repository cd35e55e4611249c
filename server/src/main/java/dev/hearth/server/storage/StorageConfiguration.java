package dev.hearth.server.storage;

import dev.hearth.server.config.AuthProperties;
import dev.hearth.server.config.ClickHouseProperties;
import dev.hearth.server.config.ConfigurationCheck;
import dev.hearth.server.config.IngestProperties;
import dev.hearth.server.config.QueryProperties;
import dev.hearth.server.config.ServerProperties;
import dev.hearth.storage.clickhouse.ClickHouseEndpoint;
import dev.hearth.storage.clickhouse.ClickHouseProfileStore;
import dev.hearth.storage.clickhouse.ClickHouseSettings;
import dev.hearth.storage.embedded.EmbeddedClickHouse;
import dev.hearth.storage.embedded.EmbeddedEngineSupervisor;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Starts storage: the embedded engine and its supervisor when no {@code clickhouse.url} is set,
 * then the ClickHouse store (schema migrations, retention) over whichever engine it is.
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {
  private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

  /** The embedded engine, or nothing when an external ClickHouse is configured. */
  public static final class Engine implements AutoCloseable {
    private final @Nullable EmbeddedClickHouse embedded;
    private final @Nullable EmbeddedEngineSupervisor supervisor;

    Engine(@Nullable EmbeddedClickHouse embedded, @Nullable EmbeddedEngineSupervisor supervisor) {
      this.embedded = embedded;
      this.supervisor = supervisor;
    }

    public @Nullable EmbeddedClickHouse embedded() {
      return embedded;
    }

    public @Nullable EmbeddedEngineSupervisor supervisor() {
      return supervisor;
    }

    @Override
    public void close() {
      if (supervisor != null) {
        supervisor.close();
      }
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  @Bean(destroyMethod = "close")
  Engine clickHouseEngine(
      ClickHouseProperties clickhouse,
      ServerProperties server,
      AuthProperties auth,
      IngestProperties ingest,
      QueryProperties query) {
    ConfigurationCheck.validate(clickhouse, server, auth, ingest, query);
    if (!clickhouse.embedded()) {
      log.info("using external ClickHouse at {}", clickhouse.url());
      return new Engine(null, null);
    }
    EmbeddedClickHouse engine =
        new EmbeddedClickHouse(clickhouse.dataDir(), null, clickhouse.startupTimeout());
    engine.start();
    log.info(
        "embedded ClickHouse pid {} serving {} with data in {}",
        engine.pid(),
        engine.httpUrl(),
        engine.dataDir());
    return new Engine(
        engine,
        new EmbeddedEngineSupervisor(
            engine, clickhouse.restartDelay(), clickhouse.restartBackoffMax()));
  }

  @Bean(destroyMethod = "close")
  ClickHouseProfileStore profileStore(
      Engine engine, ClickHouseProperties clickhouse, QueryProperties query) {
    ClickHouseSettings settings = clickhouse.settings(query.maxRowsToRead());
    EmbeddedClickHouse embedded = engine.embedded();
    EmbeddedEngineSupervisor supervisor = engine.supervisor();
    if (embedded == null || supervisor == null) {
      ClickHouseEndpoint endpoint =
          new ClickHouseEndpoint(clickhouse.url(), clickhouse.user(), clickhouse.password());
      return ClickHouseProfileStore.open(endpoint, settings, () -> Map.of("mode", "external"));
    }
    ClickHouseProfileStore store =
        ClickHouseProfileStore.open(
            EmbeddedEngineSupervisor.endpointOf(embedded), settings, supervisor::details);
    supervisor.watch(store::reconnect);
    if (!store.appliedMigrations().isEmpty()) {
      log.info("applied schema migrations {}", store.appliedMigrations());
    }
    return store;
  }

  /** Drops day partitions past the retention, at every interval. */
  @Bean(destroyMethod = "dispose")
  Disposable retentionTask(ClickHouseProfileStore store, ServerProperties server) {
    return Flux.interval(server.retentionCheckInterval(), Schedulers.boundedElastic())
        .concatMap(
            tick ->
                store
                    .enforceRetention()
                    .doOnNext(n -> log.info("retention dropped {} expired partitions", n))
                    .onErrorResume(
                        e -> {
                          log.warn("retention check failed: {}", e.getMessage());
                          return reactor.core.publisher.Mono.empty();
                        }))
        .subscribe();
  }
}
