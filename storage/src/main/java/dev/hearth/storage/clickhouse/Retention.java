package dev.hearth.storage.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps {@code retentionDays} of data. Each table's TTL is set to the configured retention at
 * start-up (so a changed setting takes effect) and, because TTL merges run when ClickHouse pleases,
 * {@link #dropExpired()} drops every day partition older than the retention outright: whole
 * partitions, no mutations. On a cluster both act on the local tables of every node.
 */
final class Retention {
  private static final String EXPIRED_PARTITIONS =
      """
      SELECT DISTINCT table, partition
      FROM %s
      WHERE database = {db:String} AND active AND table IN {tables:Array(String)}
        AND toDate(partition) < today() - {days:UInt32}""";

  private final ClickHouseConnection connection;
  private final Topology topology;

  Retention(ClickHouseConnection connection, Topology topology) {
    this.connection = connection;
    this.topology = topology;
  }

  /** Sets every table's TTL to the configured retention, without rewriting existing parts. */
  Mono<Void> applyTtl() {
    int days = connection.settings().retentionDays();
    return Flux.fromIterable(Schema.DAY_COLUMNS.entrySet())
        .concatMap(
            e ->
                topology.execute(
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
   * @return how many (table, partition) pairs were dropped
   */
  Mono<Long> dropExpired() {
    Map<String, String> logical = new java.util.HashMap<>();
    List<String> tables = new ArrayList<>();
    for (String table : Schema.DAY_COLUMNS.keySet()) {
      logical.put(topology.localTable(table), table);
      tables.add(topology.localTable(table));
    }
    Map<String, Object> params =
        Map.of(
            "db", connection.settings().database(),
            "tables", stringArray(tables),
            "days", connection.settings().retentionDays());
    String parts =
        topology.replicated()
            ? "clusterAllReplicas('" + connection.settings().cluster().name() + "', system.parts)"
            : "system.parts";
    String sql = EXPIRED_PARTITIONS.formatted(parts);
    return Flux.fromIterable(topology.nodes())
        .concatMap(node -> node.query("list expired partitions", sql, params))
        .collect(
            LinkedHashSet<List<String>>::new,
            (set, rows) -> {
              for (GenericRecord r : rows) {
                set.add(List.of(logical.get(r.getString("table")), r.getString("partition")));
              }
            })
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

  private Mono<List<String>> drop(List<String> tablePartition) {
    String table = tablePartition.get(0);
    String partition = tablePartition.get(1);
    if (!partition.matches("\\d{4}-\\d{2}-\\d{2}")) {
      return Mono.empty();
    }
    return topology
        .execute(
            "drop partition " + partition + " of " + table,
            "ALTER TABLE " + table + " DROP PARTITION '" + partition + "'")
        .thenReturn(tablePartition);
  }
}
