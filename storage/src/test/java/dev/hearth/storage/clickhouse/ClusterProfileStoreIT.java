package dev.hearth.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.ProfileType;
import dev.hearth.model.testing.FleetProfiles;
import dev.hearth.storage.ITProfileStore;
import dev.hearth.storage.ProfileStore;
import dev.hearth.storage.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The storage contract on a two-shard cluster of embedded engines (Distributed tables over local
 * MergeTree tables, DDL node by node since chDB has no Keeper), plus where rows land.
 */
class ClusterProfileStoreIT extends ITProfileStore {
  private static TestCluster cluster;
  private static ClickHouseSettings settings;
  private static ClickHouseProfileStore store;
  private static List<ClickHouseConnection> shards;

  @BeforeAll
  static void open() {
    cluster = TestCluster.start("store-it", 2);
    settings =
        ClickHouseSettings.defaults()
            .withDatabase(TestClickHouse.freshDatabase("hearth_cluster"))
            .withCluster(cluster.settings());
    store = ClickHouseProfileStore.open(cluster.endpoint(0), settings, Map::of);
    shards = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      shards.add(new ClickHouseConnection(cluster.endpoint(i), settings));
    }
  }

  @AfterAll
  static void close() {
    if (shards != null) {
      shards.forEach(ClickHouseConnection::close);
    }
    if (store != null) {
      store.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected ProfileStore store() {
    return store;
  }

  @Override
  protected long dictionaryRows() {
    return count(
        shards.get(0),
        "SELECT (SELECT count() FROM functions) + (SELECT count() FROM locations) + (SELECT count() FROM stacks) + (SELECT count() FROM mappings) AS n");
  }

  @Test
  void everyTableIsDistributedOverLocalTablesOnEveryNode() {
    for (ClickHouseConnection shard : shards) {
      assertThat(
              count(
                  shard,
                  "SELECT count() AS n FROM system.tables WHERE database = currentDatabase()"
                      + " AND engine = 'Distributed'"))
          .isEqualTo(Schema.tables().size());
      assertThat(
              count(
                  shard,
                  "SELECT count() AS n FROM system.tables WHERE database = currentDatabase()"
                      + " AND name LIKE '%\\\\_local' AND engine LIKE '%MergeTree'"))
          .isEqualTo(Schema.tables().size());
    }
  }

  @Test
  void seriesRowsStayOnOneShardWithTheirSeriesAndSamples() {
    var stacks = gen.stacks("svc", 30, 6);
    List<dev.hearth.model.Profile> profiles = new ArrayList<>();
    for (int s = 0; s < 40; s++) {
      profiles.add(
          gen.profile(ProfileType.CPU, FleetProfiles.labels("svc" + s, "h"), now, stacks, 50));
    }
    store.writer().write(new WriteBatch(tenant, profiles)).block();
    long total = 0;
    for (ClickHouseConnection shard : shards) {
      String t = "'" + tenant + "'";
      long samples = count(shard, "SELECT count() AS n FROM samples_local WHERE tenant = " + t);
      assertThat(samples).as("each shard holds some of 40 series").isPositive();
      total += samples;
      // Every series id a shard's samples use is in that shard's own series table.
      assertThat(
              count(
                  shard,
                  "SELECT count() AS n FROM (SELECT DISTINCT series_id FROM samples_local WHERE"
                      + " tenant = "
                      + t
                      + ") WHERE series_id NOT IN (SELECT series_id FROM series_local)"))
          .isZero();
      assertThat(
              count(
                  shard,
                  "SELECT count() AS n FROM (SELECT DISTINCT series_id FROM series_minutes_local"
                      + " WHERE tenant = "
                      + t
                      + ") WHERE series_id NOT IN (SELECT series_id FROM samples_local)"))
          .isZero();
    }
    assertThat(
            count(
                shards.get(1), "SELECT count() AS n FROM samples WHERE tenant = '" + tenant + "'"))
        .isEqualTo(total);
  }

  @Test
  void rewritingTheSameDictionaryRowsKeepsOneRowPerIdAfterMerges() {
    var stacks = gen.stacks("dup", 25, 5);
    var profile = gen.profile(ProfileType.CPU, FleetProfiles.labels("dup", "h"), now, stacks, 20);
    // A second store has an empty cache, as a second Hearth server has: it writes the same rows.
    try (ClickHouseProfileStore other =
        ClickHouseProfileStore.open(cluster.endpoint(1), settings, Map::of)) {
      store.writer().write(new WriteBatch(tenant, List.of(profile))).block();
      other.writer().write(new WriteBatch(tenant, List.of(profile))).block();
    }
    for (ClickHouseConnection shard : shards) {
      shard.execute("merge", "OPTIMIZE TABLE stacks_local FINAL").block();
    }
    assertThat(
            count(shards.get(0), "SELECT count() AS n FROM stacks WHERE tenant = '" + tenant + "'"))
        .isEqualTo(
            count(
                shards.get(0),
                "SELECT uniqExact(stack_id) AS n FROM stacks WHERE tenant = '" + tenant + "'"));
  }

  @Test
  void everyNodeKnowsTheSeriesAnyServerWrote() {
    var stacks = gen.stacks("act", 5, 4);
    List<dev.hearth.model.Profile> profiles = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      profiles.add(
          gen.profile(ProfileType.CPU, FleetProfiles.labels("act" + s, "h"), now, stacks, 5));
    }
    store.writer().write(new WriteBatch(tenant, profiles)).block();
    try (ClickHouseProfileStore other =
        ClickHouseProfileStore.open(cluster.endpoint(1), settings, Map::of)) {
      var ids = other.writer().activeSeries(tenant, now - HOUR, 1000).block();
      assertThat(ids)
          .containsExactlyInAnyOrderElementsOf(
              profiles.stream().map(dev.hearth.model.Profile::seriesId).toList());
      assertThat(other.writer().activeSeries(tenant, now + HOUR, 1000).block()).isEmpty();
      assertThat(other.writer().activeSeries(tenant, now - HOUR, 3).block()).hasSize(3);
    }
  }

  private static long count(ClickHouseConnection db, String sql) {
    return db.query("count", sql, Map.of()).block().getFirst().getLong("n");
  }
}
