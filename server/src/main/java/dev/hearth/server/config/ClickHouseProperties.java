package dev.hearth.server.config;

import dev.hearth.storage.clickhouse.ClickHouseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where profiles are stored: an external ClickHouse when {@code url} is set, else the embedded
 * engine with its data in {@code dataDir}.
 *
 * @param url HTTP URL of an external ClickHouse server or cluster (e.g. {@code
 *     http://clickhouse:8123}); empty to run the embedded engine
 * @param user user for the external server
 * @param password password for the external server
 * @param database database holding Hearth's tables; created when missing
 * @param dataDir data directory of the embedded engine
 * @param retentionDays days of profiles kept; older day partitions are dropped whole
 * @param dictionaryCacheSize dictionary keys (tenant, day, id) remembered as written, to skip
 *     re-inserting known functions, locations and stacks
 * @param queryTimeout longest a single query or insert may take
 * @param startupTimeout longest the embedded engine may take to answer after a start
 * @param restartDelay wait before the first restart of an embedded engine that died
 * @param restartBackoffMax longest wait between restarts of an embedded engine that keeps dying
 */
@ConfigurationProperties("clickhouse")
public record ClickHouseProperties(
    @DefaultValue("") String url,
    @DefaultValue("default") String user,
    @DefaultValue("") String password,
    @DefaultValue("hearth") String database,
    @DefaultValue("data") Path dataDir,
    @DefaultValue("30") int retentionDays,
    @DefaultValue("2000000") long dictionaryCacheSize,
    @DefaultValue("60s") Duration queryTimeout,
    @DefaultValue("60s") Duration startupTimeout,
    @DefaultValue("0s") Duration restartDelay,
    @DefaultValue("30s") Duration restartBackoffMax) {

  public boolean embedded() {
    return url.isBlank();
  }

  /** The store's settings; {@code maxRowsToRead} is a query limit ({@code hearth.query}). */
  public ClickHouseSettings settings(long maxRowsToRead) {
    return new ClickHouseSettings(
        database, retentionDays, dictionaryCacheSize, queryTimeout, maxRowsToRead);
  }

  /** Every problem with these settings, each naming its key; empty when all is well. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (!url.isBlank() && !url.matches("https?://[^\\s/]+(:\\d+)?/?")) {
      out.add("clickhouse.url '" + url + "' is not an http(s)://host[:port] URL");
    }
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      out.add("clickhouse.database '" + database + "' must match [A-Za-z_][A-Za-z0-9_]*");
    }
    if (retentionDays < 1) {
      out.add("clickhouse.retention-days must be at least 1 (is " + retentionDays + ")");
    }
    if (dictionaryCacheSize < 0) {
      out.add("clickhouse.dictionary-cache-size must not be negative");
    }
    positive(out, "clickhouse.query-timeout", queryTimeout);
    positive(out, "clickhouse.startup-timeout", startupTimeout);
    positive(out, "clickhouse.restart-backoff-max", restartBackoffMax);
    if (restartDelay == null || restartDelay.isNegative()) {
      out.add("clickhouse.restart-delay must not be negative (is " + restartDelay + ")");
    }
    return out;
  }

  private static void positive(List<String> out, String key, @Nullable Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      out.add(key + " must be a positive duration (is " + d + ")");
    }
  }
}
