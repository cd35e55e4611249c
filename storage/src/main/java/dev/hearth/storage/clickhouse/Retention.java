package dev.hearth.storage.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps {@code retentionDays} of data. Each table's TTL is set to the configured retention at
 * start-up (so a changed setting takes effect) and, because TTL merges run when ClickHouse pleases,
 * {@link #dropExpired()} drops every day partition older than the retention outright: whole
 * partitions, no mutations.
 */
final class Retention {
  private static final String EXPIRED_PARTITIONS =
      """
      SELECT DISTINCT table, partition
      FROM system.parts
      WHERE database = {db:String} AND active AND table IN {tables:Array(String)}
        AND toDate(partition) < today() - {days:UInt32}""";

  private final ClickHouseConnection connection;

  Retention(ClickHouseConnection connection) {
    this.connection = connection;
  }

  /** Sets every table's TTL to the configured retention, without rewriting existing parts. */
  Mono<Void> applyTtl() {
    int days = connection.settings().retentionDays();
    return Flux.fromIterable(Schema.DAY_COLUMNS.entrySet())
        .concatMap(
            e ->
                connection.execute(
                    "set TTL of " + e.getKey(),
                    "ALTER TABLE "
                        + e.getKey()
                        + " MODIFY TTL "
                        + e.getValue()
                        + " + INTERVAL "
                        + days
                        + " DAY SETTINGS materialize_ttl_after_modify = 0"))
        .then();
  }

  /**
   * Drops the day partitions that are entirely older than the retention.
   *
   * @return how many partitions were dropped
   */
  Mono<Long> dropExpired() {
    Map<String, Object> params =
        Map.of(
            "db", connection.settings().database(),
            "tables", stringArray(Schema.DAY_COLUMNS.keySet()),
            "days", connection.settings().retentionDays());
    return connection
        .query("list expired partitions", EXPIRED_PARTITIONS, params)
        .flatMapMany(Flux::fromIterable)
        .concatMap(this::drop)
        .count();
  }

  /** An {@code Array(String)} query parameter in ClickHouse's text form (client-v2 has none). */
  private static String stringArray(java.util.Collection<String> names) {
    StringBuilder sb = new StringBuilder("[");
    for (String name : names) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('\'').append(name.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
    }
    return sb.append(']').toString();
  }

  private Mono<Void> drop(GenericRecord part) {
    String table = part.getString("table");
    String partition = part.getString("partition");
    if (!partition.matches("\\d{4}-\\d{2}-\\d{2}")) {
      return Mono.empty();
    }
    return connection.execute(
        "drop partition " + partition + " of " + table,
        "ALTER TABLE " + table + " DROP PARTITION '" + partition + "'");
  }
}
