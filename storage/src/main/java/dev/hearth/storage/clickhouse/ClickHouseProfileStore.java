package dev.hearth.storage.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import dev.hearth.storage.ProfileQueries;
import dev.hearth.storage.ProfileStore;
import dev.hearth.storage.ProfileWriter;
import dev.hearth.storage.StorageHealth;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The ClickHouse {@link ProfileStore}. {@link #open} migrates the schema and applies retention
 * before it returns, so a store in hand is ready to write.
 */
public final class ClickHouseProfileStore implements ProfileStore {
  private final ClickHouseConnection connection;
  private final ClickHouseProfileWriter writer;
  private final ClickHouseProfileQueries queries;
  private final Retention retention;
  private final Supplier<Map<String, Object>> extraHealth;
  private final List<String> appliedMigrations;

  private ClickHouseProfileStore(
      ClickHouseConnection connection, Supplier<Map<String, Object>> extraHealth) {
    this.connection = connection;
    this.writer = new ClickHouseProfileWriter(connection);
    this.queries = new ClickHouseProfileQueries(connection);
    this.retention = new Retention(connection);
    this.extraHealth = extraHealth;
    this.appliedMigrations = Schema.migrate(connection);
    retention.applyTtl().block();
    retention.dropExpired().block();
  }

  /**
   * Connects, creates the database and applies pending schema migrations and retention.
   *
   * @param extraHealth details added to every health report (e.g. the embedded engine's pid)
   * @throws dev.hearth.storage.StorageException when ClickHouse cannot be reached or refuses
   */
  public static ClickHouseProfileStore open(
      ClickHouseEndpoint endpoint,
      ClickHouseSettings settings,
      Supplier<Map<String, Object>> extraHealth) {
    ClickHouseConnection connection = new ClickHouseConnection(endpoint, settings);
    try {
      return new ClickHouseProfileStore(connection, extraHealth);
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  @Override
  public ProfileWriter writer() {
    return writer;
  }

  @Override
  public ProfileQueries queries() {
    return queries;
  }

  /** Migrations this start applied, oldest first; empty when the schema was current. */
  public List<String> appliedMigrations() {
    return appliedMigrations;
  }

  /** Points the store at a restarted engine's new endpoint. */
  public void reconnect(ClickHouseEndpoint endpoint) {
    connection.reconnect(endpoint);
  }

  /** Drops day partitions older than the retention; returns how many went. */
  public Mono<Long> enforceRetention() {
    return retention.dropExpired();
  }

  @Override
  public Mono<StorageHealth> check() {
    Map<String, Object> base = new LinkedHashMap<>(extraHealth.get());
    base.put("url", connection.endpoint().url());
    base.put("database", connection.settings().database());
    return connection
        .query("health check", "SELECT version() AS version", Map.of())
        .timeout(Duration.ofSeconds(5))
        .map(
            rows -> {
              Map<String, Object> details = new LinkedHashMap<>(base);
              GenericRecord row = rows.getFirst();
              details.put("version", row.getString("version"));
              return new StorageHealth(true, details);
            })
        .onErrorResume(e -> Mono.just(StorageHealth.down(describe(e), base)));
  }

  /** What a health report says about a failure: never {@code "null"}. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    if (e instanceof dev.hearth.storage.StorageUnavailableException su) {
      return su.reason().tag() + ": " + text;
    }
    return text;
  }

  @Override
  public void close() {
    connection.close();
  }
}
