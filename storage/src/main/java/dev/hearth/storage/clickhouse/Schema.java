package dev.hearth.storage.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the versioned schema in {@code schema/V*.sql} in order and records each applied version
 * in {@code schema_migrations}, so a start-up applies only what is new. {@code ${retention_days}}
 * in a migration is replaced by the configured retention.
 */
final class Schema {
  /** Every migration, oldest first. A new one is appended here and never edited once released. */
  static final List<String> MIGRATIONS =
      List.of("V001__dictionaries_series_samples", "V002__rollups", "V003__symbolized_frames");

  /** The tables retention applies to, with the expression of each row's day. */
  static final Map<String, String> DAY_COLUMNS =
      Map.of(
          "functions", "day",
          "mappings", "day",
          "locations", "day",
          "stacks", "day",
          "series", "day",
          "samples", "toDate(ts)",
          "series_minutes", "toDate(minute)",
          "stacks_hourly", "toDate(hour)");

  private static final String CREATE_MIGRATIONS =
      """
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version UInt32,
        name String,
        applied_at DateTime DEFAULT now()
      ) ENGINE = MergeTree ORDER BY version""";

  private Schema() {}

  /**
   * Brings the database up to the newest version.
   *
   * @return the names of the migrations applied now (empty when already current)
   */
  static List<String> migrate(ClickHouseConnection connection) {
    try (Topology topology = Topology.open(connection, tables())) {
      return migrate(connection, topology);
    }
  }

  /**
   * Every table the migrations create, for the cluster rewrite: a view or {@code ALTER} in a later
   * migration may name a table of an earlier one.
   */
  static Set<String> tables() {
    Set<String> out = new HashSet<>(ClusterSchema.createdTables(List.of(CREATE_MIGRATIONS)));
    for (String name : MIGRATIONS) {
      out.addAll(ClusterSchema.createdTables(statements(load(name), 1)));
    }
    return out;
  }

  static List<String> migrate(ClickHouseConnection connection, Topology topology) {
    topology.createDatabase().block();
    topology.execute("create schema_migrations", CREATE_MIGRATIONS).block();
    Set<Long> applied = new HashSet<>();
    List<GenericRecord> rows =
        connection
            .query("read schema_migrations", "SELECT version FROM schema_migrations", Map.of())
            .block();
    if (rows != null) {
      for (GenericRecord r : rows) {
        applied.add(r.getLong("version"));
      }
    }
    List<String> now = new ArrayList<>();
    for (int i = 0; i < MIGRATIONS.size(); i++) {
      long version = i + 1;
      if (applied.contains(version)) {
        continue;
      }
      String name = MIGRATIONS.get(i);
      for (String statement : statements(load(name), connection.settings().retentionDays())) {
        topology.execute("migration " + name, statement).block();
      }
      connection
          .execute(
              "record migration " + name,
              "INSERT INTO schema_migrations (version, name) VALUES ("
                  + version
                  + ", '"
                  + name
                  + "')")
          .block();
      now.add(name);
    }
    return now;
  }

  private static String load(String name) {
    String path = "schema/" + name + ".sql";
    try (InputStream in = Schema.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("schema migration " + path + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits a migration into statements: comment lines dropped, split at {@code ;} line ends. */
  static List<String> statements(String sql, int retentionDays) {
    StringBuilder current = new StringBuilder();
    List<String> out = new ArrayList<>();
    for (String line : sql.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String statement = current.toString().strip();
        out.add(
            statement
                .substring(0, statement.length() - 1)
                .replace("${retention_days}", Integer.toString(retentionDays)));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("schema migration ends without ';'");
    }
    return out;
  }
}
