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
 * @param maxRowsToRead rows one read may scan (ClickHouse's {@code max_rows_to_read}) before it
 *     fails with {@link dev.hearth.storage.StorageLimitException}; 0 for no limit
 * @param cluster one node, or the cluster the tables are spread over
 */
public record ClickHouseSettings(
    String database,
    int retentionDays,
    long dictionaryCacheSize,
    Duration queryTimeout,
    long maxRowsToRead,
    ClusterSettings cluster) {

  public ClickHouseSettings(
      String database, int retentionDays, long dictionaryCacheSize, Duration queryTimeout) {
    this(database, retentionDays, dictionaryCacheSize, queryTimeout, 0);
  }

  public ClickHouseSettings(
      String database,
      int retentionDays,
      long dictionaryCacheSize,
      Duration queryTimeout,
      long maxRowsToRead) {
    this(
        database,
        retentionDays,
        dictionaryCacheSize,
        queryTimeout,
        maxRowsToRead,
        ClusterSettings.NONE);
  }

  public ClickHouseSettings {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(cluster, "cluster");
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
    if (maxRowsToRead < 0) {
      throw new IllegalArgumentException("max rows to read is negative");
    }
  }

  public static ClickHouseSettings defaults() {
    return new ClickHouseSettings("hearth", 30, 2_000_000, Duration.ofSeconds(60));
  }

  public ClickHouseSettings withDatabase(String newDatabase) {
    return new ClickHouseSettings(
        newDatabase, retentionDays, dictionaryCacheSize, queryTimeout, maxRowsToRead, cluster);
  }

  public ClickHouseSettings withRetentionDays(int days) {
    return new ClickHouseSettings(
        database, days, dictionaryCacheSize, queryTimeout, maxRowsToRead, cluster);
  }

  public ClickHouseSettings withMaxRowsToRead(long rows) {
    return new ClickHouseSettings(
        database, retentionDays, dictionaryCacheSize, queryTimeout, rows, cluster);
  }

  public ClickHouseSettings withCluster(ClusterSettings newCluster) {
    return new ClickHouseSettings(
        database, retentionDays, dictionaryCacheSize, queryTimeout, maxRowsToRead, newCluster);
  }
}
