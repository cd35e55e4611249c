package dev.hearth.storage.clickhouse;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Whether Hearth's tables live on one ClickHouse node or on a cluster of shards.
 *
 * <p>On a cluster every table of the schema becomes a local table on each node (named {@code
 * <table>_local}) and a {@code Distributed} table under the table's own name that all reads and
 * writes go through, sharded so that one series' rows, and each dictionary id's rows, stay on one
 * shard. With Keeper the local tables are {@code Replicated*MergeTree} and the DDL runs once,
 * {@code ON CLUSTER}; without Keeper ({@code ON CLUSTER} needs it) the local tables are plain
 * {@code *MergeTree} and the DDL runs on every node in {@link #nodes}.
 *
 * @param name the cluster's name in the ClickHouse {@code remote_servers} config; empty for one
 *     node
 * @param replication whether the local tables are replicated (needs Keeper)
 * @param nodes HTTP URLs of every node, used for DDL when the cluster has no Keeper; empty means
 *     only the node Hearth connects to
 */
public record ClusterSettings(String name, Replication replication, List<String> nodes) {
  /** One node, no cluster. */
  public static final ClusterSettings NONE = new ClusterSettings("", Replication.AUTO, List.of());

  /** How the local tables of a cluster are replicated. */
  public enum Replication {
    /** Replicated when the node Hearth connects to has Keeper ({@code system.zookeeper}). */
    AUTO,
    /** {@code Replicated*MergeTree}, DDL {@code ON CLUSTER}: the cluster must have Keeper. */
    REPLICATED,
    /**
     * Plain {@code *MergeTree}, DDL on every node of {@link #nodes}: for clusters without Keeper.
     */
    PLAIN;

    /** Parses {@code auto}, {@code replicated} or {@code plain}, in any case. */
    public static Replication parse(String text) {
      try {
        return valueOf(text.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "replication '" + text + "' must be one of auto, replicated, plain", e);
      }
    }
  }

  public ClusterSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(replication, "replication");
    nodes = List.copyOf(nodes);
    if (!name.isEmpty() && !name.matches("[A-Za-z_][A-Za-z0-9_\\-]*")) {
      throw new IllegalArgumentException(
          "cluster name '" + name + "' must match [A-Za-z_][A-Za-z0-9_-]*");
    }
  }

  /** Whether the tables live on a cluster. */
  public boolean enabled() {
    return !name.isEmpty();
  }
}
