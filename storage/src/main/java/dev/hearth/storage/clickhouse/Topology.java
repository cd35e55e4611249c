package dev.hearth.storage.clickhouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where DDL goes: one node; a cluster with Keeper, where each statement runs once {@code ON
 * CLUSTER}; or a cluster without Keeper, where each statement runs on every node of {@link
 * ClusterSettings#nodes()} in turn. Statements are written for one node and rewritten by {@link
 * ClusterSchema}.
 */
final class Topology implements AutoCloseable {
  private static final String HAS_KEEPER =
      "SELECT count() AS n FROM system.tables WHERE database = 'system' AND name = 'zookeeper'";

  private final ClickHouseConnection main;
  private final @Nullable ClusterSchema schema;
  private final List<ClickHouseConnection> nodes;
  private final List<ClickHouseConnection> opened;

  private Topology(
      ClickHouseConnection main,
      @Nullable ClusterSchema schema,
      List<ClickHouseConnection> nodes,
      List<ClickHouseConnection> opened) {
    this.main = main;
    this.schema = schema;
    this.nodes = nodes;
    this.opened = opened;
  }

  /**
   * The topology {@code main}'s settings describe; for {@link ClusterSettings.Replication#AUTO} it
   * asks the node whether it has Keeper.
   *
   * @param tables every table the migrations create, for {@link ClusterSchema}
   */
  static Topology open(ClickHouseConnection main, Set<String> tables) {
    ClickHouseSettings settings = main.settings();
    ClusterSettings cluster = settings.cluster();
    if (!cluster.enabled()) {
      return new Topology(main, null, List.of(main), List.of());
    }
    boolean replicated =
        switch (cluster.replication()) {
          case REPLICATED -> true;
          case PLAIN -> false;
          case AUTO -> hasKeeper(main);
        };
    ClusterSchema schema =
        new ClusterSchema(cluster.name(), settings.database(), replicated, tables);
    if (replicated || cluster.nodes().isEmpty()) {
      return new Topology(main, schema, List.of(main), List.of());
    }
    List<ClickHouseConnection> opened = new ArrayList<>();
    for (String url : cluster.nodes()) {
      ClickHouseEndpoint e = main.endpoint();
      opened.add(
          new ClickHouseConnection(new ClickHouseEndpoint(url, e.user(), e.password()), settings));
    }
    return new Topology(main, schema, List.copyOf(opened), opened);
  }

  private static boolean hasKeeper(ClickHouseConnection connection) {
    return connection.scalarWithoutDatabase("look for Keeper", HAS_KEEPER) > 0;
  }

  /** Whether the tables are spread over a cluster. */
  boolean clustered() {
    return schema != null;
  }

  /** Whether the cluster has Keeper: replicated local tables, DDL {@code ON CLUSTER}. */
  boolean replicated() {
    return schema != null && schema.onCluster();
  }

  /** The name of the table holding a node's own rows of {@code table}. */
  String localTable(String table) {
    return schema == null ? table : ClusterSchema.local(table);
  }

  /** The nodes to ask for per-node facts such as {@code system.parts}. */
  List<ClickHouseConnection> nodes() {
    return nodes;
  }

  /** The statements that do on this topology what {@code statement} does on one node. */
  List<String> statements(String statement) {
    return schema == null ? List.of(statement) : schema.rewrite(statement);
  }

  /** Creates the database on every node. */
  Mono<Void> createDatabase() {
    return Flux.fromIterable(nodes)
        .concatMap(
            n ->
                Mono.fromRunnable(
                    replicated()
                        ? () -> n.createDatabase(main.settings().cluster().name())
                        : () -> n.createDatabase(null)))
        .then();
  }

  /**
   * Runs a statement written for one node: rewritten for the cluster, once (single node or {@code
   * ON CLUSTER}) or on each node in turn.
   */
  Mono<Void> execute(String what, String statement) {
    return Flux.fromIterable(statements(statement))
        .concatMap(
            sql ->
                replicated() || schema == null
                    ? main.execute(what, sql)
                    : Flux.fromIterable(nodes).concatMap(n -> n.execute(what, sql)).then())
        .then();
  }

  @Override
  public void close() {
    for (ClickHouseConnection c : opened) {
      c.close();
    }
  }
}
