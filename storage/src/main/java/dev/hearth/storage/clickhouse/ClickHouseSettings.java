package dev.hearth.storage.clickhouse;

import java.time.Duration;
import java.util.Objects;

/**
 * How the store talks to ClickHouse and what it keeps.
 *
 * @param database database holding Hearth's tables; created when missing
 * @param retentionDays days of data kept; older day partitions are dropped whole
 * @param dictionaryCacheSize how many (tenant, day, id) dictionary keys the writer remembers as
 *     already written, so re-inserts of known functions, locations and stacks are skipped
 * @param queryTimeout how long one query or insert may take before it fails
 */
public record ClickHouseSettings(
    String database, int retentionDays, long dictionaryCacheSize, Duration queryTimeout) {

  public ClickHouseSettings {
    Objects.requireNonNull(database, "database");
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "database name '" + database + "' must match [A-Za-z_][A-Za-z0-9_]*");
    }
    if (retentionDays < 1) {
      throw new IllegalArgumentException("retention must be at least 1 day, not " + retentionDays);
    }
    if (dictionaryCacheSize < 0) {
      throw new IllegalArgumentException("dictionary cache size is negative");
    }
  }

  public static ClickHouseSettings defaults() {
    return new ClickHouseSettings("hearth", 30, 2_000_000, Duration.ofSeconds(60));
  }

  public ClickHouseSettings withDatabase(String newDatabase) {
    return new ClickHouseSettings(newDatabase, retentionDays, dictionaryCacheSize, queryTimeout);
  }

  public ClickHouseSettings withRetentionDays(int days) {
    return new ClickHouseSettings(database, days, dictionaryCacheSize, queryTimeout);
  }
}
