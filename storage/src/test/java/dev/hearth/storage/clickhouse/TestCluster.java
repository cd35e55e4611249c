package dev.hearth.storage.clickhouse;

import dev.hearth.storage.embedded.EmbeddedClickHouse;
import dev.hearth.storage.embedded.EmbeddedClusterNode;
import dev.hearth.storage.embedded.EngineLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A ClickHouse cluster of embedded engines on the loopback address, one per shard, each with a
 * {@code remote_servers} entry naming all of them: what the cluster tests run against. chDB has no
 * Keeper, so the cluster's tables are plain {@code MergeTree} and its DDL runs node by node.
 */
public final class TestCluster implements AutoCloseable {
  public static final String NAME = "hearth_test";

  private final List<EmbeddedClickHouse> engines;
  private final String password;

  private TestCluster(List<EmbeddedClickHouse> engines, String password) {
    this.engines = engines;
    this.password = password;
  }

  /** Starts {@code shards} engines (in parallel), each in a fresh data directory. */
  public static TestCluster start(String name, int shards) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      ports.add(freePort());
    }
    String secret = random();
    String password = random();
    List<EmbeddedClickHouse> engines = new ArrayList<>();
    for (int i = 1; i <= shards; i++) {
      engines.add(
          new EmbeddedClickHouse(
              TestClickHouse.freshDataDir(name + "-shard" + i),
              null,
              Duration.ofSeconds(120),
              EngineLimits.defaults(),
              EmbeddedClusterNode.shard(NAME, ports, i, secret, password)));
    }
    TestCluster cluster = new TestCluster(engines, password);
    try {
      engines.parallelStream().forEach(EmbeddedClickHouse::start);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  public List<EmbeddedClickHouse> engines() {
    return engines;
  }

  /** The HTTP endpoint of shard {@code i} (0-based). */
  public ClickHouseEndpoint endpoint(int i) {
    return new ClickHouseEndpoint(
        engines.get(i).httpUrl().toString(), engines.get(i).user(), password);
  }

  /** Every node's HTTP URL, for {@link ClusterSettings#nodes()}. */
  public List<String> urls() {
    return engines.stream().map(e -> e.httpUrl().toString()).toList();
  }

  public String password() {
    return password;
  }

  /** Settings for Hearth on this cluster: no Keeper, DDL on every node. */
  public ClusterSettings settings() {
    return new ClusterSettings(NAME, ClusterSettings.Replication.AUTO, urls());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String random() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public void close() {
    for (EmbeddedClickHouse e : engines) {
      e.close();
    }
  }
}
