package dev.hearth.server.config;

import dev.hearth.storage.clickhouse.ClickHouseSettings;
import dev.hearth.storage.clickhouse.ClusterSettings;
import dev.hearth.storage.embedded.EngineLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

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
 * @param engineMaxQueryMemory memory one query may use in the embedded engine ({@code
 *     max_memory_usage}); its time limit is {@code queryTimeout}
 * @param engineMaxConcurrentQueries queries the embedded engine runs at once for Hearth; more fail
 *     at once
 * @param cluster name of the ClickHouse cluster (in its {@code remote_servers}) to spread the
 *     tables over as local tables plus {@code Distributed} tables; empty for one node
 * @param replication {@code auto} (replicated when the node has Keeper), {@code replicated} ({@code
 *     Replicated*MergeTree}, DDL {@code ON CLUSTER}) or {@code plain} ({@code *MergeTree}, DDL on
 *     every node of {@code clusterNodes}: clusters without Keeper)
 * @param clusterNodes HTTP URLs of every node, for the DDL of a cluster without Keeper (which has
 *     no {@code ON CLUSTER}); empty: only the node at {@code url}
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
    @DefaultValue("30s") Duration restartBackoffMax,
    @DefaultValue("4GB") DataSize engineMaxQueryMemory,
    @DefaultValue("64") int engineMaxConcurrentQueries,
    @DefaultValue("") String cluster,
    @DefaultValue("auto") String replication,
    @DefaultValue("") List<String> clusterNodes) {

  public ClickHouseProperties {
    // An empty value ("" in application.yml or the environment) binds as one blank entry.
    clusterNodes = clusterNodes.stream().map(String::strip).filter(n -> !n.isEmpty()).toList();
  }

  public boolean embedded() {
    return url.isBlank();
  }

  /** The cluster settings for storage; call after {@link #problems()} came back empty. */
  public ClusterSettings clusterSettings() {
    return cluster.isBlank()
        ? ClusterSettings.NONE
        : new ClusterSettings(
            cluster.strip(), ClusterSettings.Replication.parse(replication), clusterNodes);
  }

  /** The store's settings; {@code maxRowsToRead} is a query limit ({@code hearth.query}). */
  public ClickHouseSettings settings(long maxRowsToRead) {
    return new ClickHouseSettings(
        database,
        retentionDays,
        dictionaryCacheSize,
        queryTimeout,
        maxRowsToRead,
        clusterSettings());
  }

  /** The embedded engine's limits on Hearth's own queries. */
  public EngineLimits engineLimits() {
    return new EngineLimits(
        engineMaxQueryMemory.toBytes(),
        Duration.ofSeconds(Math.max(1, queryTimeout.toSeconds())),
        engineMaxConcurrentQueries);
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
    if (engineMaxQueryMemory.toBytes() < 1 << 20) {
      out.add(
          "clickhouse.engine-max-query-memory must be at least 1MB (is "
              + engineMaxQueryMemory
              + ")");
    }
    if (engineMaxConcurrentQueries < 1) {
      out.add("clickhouse.engine-max-concurrent-queries must be at least 1");
    }
    positive(out, "clickhouse.startup-timeout", startupTimeout);
    positive(out, "clickhouse.restart-backoff-max", restartBackoffMax);
    if (!cluster.isBlank()) {
      if (!cluster.matches("[A-Za-z_][A-Za-z0-9_\\-]*")) {
        out.add("clickhouse.cluster '" + cluster + "' must match [A-Za-z_][A-Za-z0-9_-]*");
      }
      if (url.isBlank()) {
        out.add(
            "clickhouse.cluster is set but clickhouse.url is empty: a cluster is an external"
                + " ClickHouse, give the URL of one of its nodes or of a load balancer in front");
      }
    }
    if (!List.of("auto", "replicated", "plain").contains(replication)) {
      out.add(
          "clickhouse.replication '" + replication + "' must be one of auto, replicated, plain");
    }
    for (String node : clusterNodes) {
      if (!node.matches("https?://[^\\s/]+(:\\d+)?/?")) {
        out.add(
            "clickhouse.cluster-nodes entry '" + node + "' is not an http(s)://host[:port] URL");
      }
    }
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
