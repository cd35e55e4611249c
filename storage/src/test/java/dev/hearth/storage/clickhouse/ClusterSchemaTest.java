package dev.hearth.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cluster rewrite of single-node migration statements (the Keeper form cannot run here). */
class ClusterSchemaTest {
  private final Set<String> tables = Set.of("samples", "stacks", "stacks_hourly", "series");
  private final ClusterSchema replicated = new ClusterSchema("prod", "hearth", true, tables);
  private final ClusterSchema plain = new ClusterSchema("prod", "hearth", false, tables);

  private static final String SAMPLES =
      """
      CREATE TABLE IF NOT EXISTS samples (
        ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
        tenant LowCardinality(String),
        series_id Int64,
        stack_id Int64,
        value Int64
      ) ENGINE = MergeTree
      PARTITION BY toDate(ts)
      ORDER BY (tenant, profile_type, series_id, ts, stack_id)
      SETTINGS ttl_only_drop_parts = 1""";

  @Test
  void aMergeTreeBecomesAReplicatedLocalTableAndADistributedOneShardedBySeries() {
    List<String> out = replicated.rewrite(SAMPLES);
    assertThat(out).hasSize(2);
    assertThat(out.get(0))
        .startsWith("CREATE TABLE IF NOT EXISTS samples_local ON CLUSTER 'prod' (")
        .contains("CODEC(DoubleDelta, ZSTD(1))")
        .contains(
            "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}',"
                + " '{replica}')")
        .endsWith("SETTINGS ttl_only_drop_parts = 1");
    assertThat(out.get(1))
        .isEqualTo(
            "CREATE TABLE IF NOT EXISTS samples ON CLUSTER 'prod' AS samples_local ENGINE ="
                + " Distributed('prod', 'hearth', 'samples_local', cityHash64(series_id))");
  }

  @Test
  void engineArgumentsFollowTheReplicationPathAndDictionariesShardByTheirOwnId() {
    String sql =
        "CREATE TABLE IF NOT EXISTS stacks_hourly (series_id Int64, stack_id Int64, value Int64)"
            + " ENGINE = SummingMergeTree((value, count)) ORDER BY (tenant, series_id, hour,"
            + " stack_id)";
    assertThat(replicated.rewrite(sql).get(0))
        .contains(
            "ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}',"
                + " '{replica}', (value, count))");
    assertThat(plain.rewrite(sql).get(0))
        .startsWith("CREATE TABLE IF NOT EXISTS stacks_hourly_local (")
        .contains("ENGINE = SummingMergeTree((value, count))");
    assertThat(
            plain
                .rewrite(
                    "CREATE TABLE stacks (tenant String, stack_id Int64) ENGINE ="
                        + " ReplacingMergeTree ORDER BY (tenant, stack_id)")
                .get(1))
        .endsWith("cityHash64(stack_id))");
    assertThat(
            ClusterSchema.shardingKey(
                "schema_migrations", " ORDER BY version SETTINGS index_granularity = 8192"))
        .isEqualTo("version");
  }

  @Test
  void viewsReadAndWriteLocalTablesAndAltersReachBothWhereColumnsChange() {
    assertThat(
            replicated.rewrite(
                "CREATE MATERIALIZED VIEW IF NOT EXISTS stacks_hourly_mv TO stacks_hourly AS"
                    + " SELECT series_id, stack_id FROM samples GROUP BY series_id, stack_id"))
        .containsExactly(
            "CREATE MATERIALIZED VIEW IF NOT EXISTS stacks_hourly_mv ON CLUSTER 'prod' TO"
                + " stacks_hourly_local AS SELECT series_id, stack_id FROM samples_local GROUP BY"
                + " series_id, stack_id");
    assertThat(plain.rewrite("ALTER TABLE samples MODIFY TTL toDate(ts) + INTERVAL 3 DAY"))
        .containsExactly("ALTER TABLE samples_local MODIFY TTL toDate(ts) + INTERVAL 3 DAY");
    assertThat(replicated.rewrite("ALTER TABLE series ADD COLUMN IF NOT EXISTS x String"))
        .containsExactly(
            "ALTER TABLE series_local ON CLUSTER 'prod' ADD COLUMN IF NOT EXISTS x String",
            "ALTER TABLE series ON CLUSTER 'prod' ADD COLUMN IF NOT EXISTS x String");
  }

  @Test
  void whatCannotBeDistributedIsRefusedByName() {
    assertThatThrownBy(() -> plain.rewrite("CREATE TABLE t (a Int64) ENGINE = Memory"))
        .hasMessageContaining("cannot distribute table t");
    assertThatThrownBy(() -> plain.rewrite("OPTIMIZE TABLE samples FINAL"))
        .hasMessageContaining("OPTIMIZE TABLE samples FINAL");
  }

  @Test
  void everyShippedMigrationRewrites() {
    for (String name : Schema.MIGRATIONS) {
      for (String statement : Schema.statements(loadForTest(name), 30)) {
        assertThat(new ClusterSchema("c", "db", true, Schema.tables()).rewrite(statement))
            .isNotEmpty();
      }
    }
  }

  private static String loadForTest(String name) {
    try (var in = Schema.class.getResourceAsStream("schema/" + name + ".sql")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
