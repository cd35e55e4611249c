package dev.hearth.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.ProfileType;
import dev.hearth.storage.ITProfileStore;
import dev.hearth.storage.ProfileStore;
import dev.hearth.storage.StorageHealth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The storage contract on ClickHouse, plus retention and schema checks of its own. */
class ClickHouseProfileStoreIT extends ITProfileStore {
  private static ClickHouseProfileStore store;
  private static ClickHouseConnection raw;

  @BeforeAll
  static void open() {
    ClickHouseSettings settings =
        ClickHouseSettings.defaults()
            .withDatabase(TestClickHouse.freshDatabase("hearth_it"))
            .withRetentionDays(30);
    TestClickHouse ch = TestClickHouse.get();
    store = ClickHouseProfileStore.open(ch.endpoint(), settings, () -> Map.of("mode", ch.mode()));
    raw = new ClickHouseConnection(ch.endpoint(), settings);
  }

  @AfterAll
  static void close() {
    raw.close();
    store.close();
  }

  @Override
  protected ProfileStore store() {
    return store;
  }

  @Override
  protected long dictionaryRows() {
    return count(
        "SELECT (SELECT count() FROM functions) + (SELECT count() FROM locations) + (SELECT count() FROM stacks) + (SELECT count() FROM mappings) AS n");
  }

  private static long count(String sql) {
    return count(raw, sql);
  }

  @Test
  void retentionDropsExpiredPartitionsWhole() {
    // ClickHouse refuses rows already past their TTL at insert, so write old data under a long
    // retention and then lower it, as an operator would.
    ClickHouseSettings longRetention =
        ClickHouseSettings.defaults()
            .withDatabase(TestClickHouse.freshDatabase("hearth_retention"))
            .withRetentionDays(365);
    ClickHouseEndpoint endpoint = TestClickHouse.get().endpoint();
    long oldTime = now - 40L * 24 * HOUR;
    var stacks = gen.stacks("api", 20, 8);
    var labels = dev.hearth.model.testing.FleetProfiles.labels("api", "h1");
    try (ClickHouseProfileStore kept =
            ClickHouseProfileStore.open(endpoint, longRetention, Map::of);
        ClickHouseConnection db = new ClickHouseConnection(endpoint, longRetention)) {
      kept.writer()
          .write(
              new dev.hearth.storage.WriteBatch(
                  tenant,
                  List.of(
                      gen.profile(ProfileType.CPU, labels, oldTime, stacks, 100),
                      gen.profile(ProfileType.CPU, labels, now, stacks, 100))))
          .block();
      String old = "SELECT count() AS n FROM samples WHERE ts < now() - INTERVAL 30 DAY";
      String oldStacks = "SELECT count() AS n FROM stacks WHERE day < today() - 30";
      assertThat(count(db, old)).isPositive();
      assertThat(count(db, oldStacks)).isPositive();
      assertThat(kept.enforceRetention().block()).isZero();

      try (ClickHouseProfileStore shorter =
          ClickHouseProfileStore.open(endpoint, longRetention.withRetentionDays(30), Map::of)) {
        assertThat(count(db, old)).isZero();
        assertThat(count(db, oldStacks)).isZero();
        var recent =
            new dev.hearth.storage.SeriesSelection(
                tenant, ProfileType.CPU, List.of(), now, now + HOUR);
        assertThat(shorter.queries().mergedStacks(recent).collectList().block()).isNotEmpty();
        assertThat(shorter.queries().stacks(tenant, List.of(stacks.getFirst().id())).block())
            .isNotEmpty();
      }
    }
  }

  private static long count(ClickHouseConnection db, String sql) {
    return db.query("count", sql, Map.of()).block().getFirst().getLong("n");
  }

  @Test
  void healthReportsTheVersionAndMigrationsAreRecorded() {
    StorageHealth health = store.check().block();
    assertThat(health.up()).isTrue();
    String version = (String) health.details().get("version");
    assertThat(Integer.parseInt(version.split("\\.")[0])).isGreaterThanOrEqualTo(26);
    assertThat(count("SELECT count() AS n FROM schema_migrations"))
        .isEqualTo(Schema.MIGRATIONS.size());
    assertThat(store.appliedMigrations()).isEqualTo(Schema.MIGRATIONS);
  }

  @Test
  void passingErrorCodesAreTheOnesClickHouseNames() {
    // The codes the classification keys on, named by the engine itself.
    Map<Integer, String> names =
        Map.of(
            164, "READONLY",
            242, "TABLE_IS_READ_ONLY",
            243, "NOT_ENOUGH_SPACE",
            252, "TOO_MANY_PARTS",
            241, "MEMORY_LIMIT_EXCEEDED",
            202, "TOO_MANY_SIMULTANEOUS_QUERIES");
    assertThat(ClickHouseConnection.PASSING_ERRORS.keySet()).isEqualTo(names.keySet());
    names.forEach(
        (code, name) ->
            assertThat(
                    raw.query("error name", "SELECT errorCodeToName(" + code + ") AS n", Map.of())
                        .block()
                        .getFirst()
                        .getString("n"))
                .isEqualTo(name));
  }

  @Test
  void aReadOnlyEngineIsUnavailableNotAFailure() {
    // readonly=1 makes the engine refuse the write with its READONLY code, as a read-only disk
    // or replica does.
    Throwable e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.hearth.storage.StorageUnavailableException.class,
            () ->
                raw.execute(
                        "insert",
                        "INSERT INTO series_minutes SELECT * FROM series_minutes LIMIT 0"
                            + " SETTINGS readonly=1")
                    .block());
    assertThat(((dev.hearth.storage.StorageUnavailableException) e).reason())
        .isEqualTo(dev.hearth.storage.StorageUnavailableException.Reason.READ_ONLY);
    assertThat(e.getMessage()).contains("storage_read_only");
  }

  @Test
  void aHealthReportNeverSaysNull() {
    assertThat(ClickHouseProfileStore.describe(new java.util.concurrent.TimeoutException()))
        .isEqualTo("TimeoutException");
    assertThat(
            ClickHouseProfileStore.describe(
                new dev.hearth.storage.StorageUnavailableException(
                    dev.hearth.storage.StorageUnavailableException.Reason.DISK_FULL,
                    "no room",
                    null)))
        .isEqualTo("storage_full: no room");
  }
}
