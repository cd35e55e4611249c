package dev.hearth.storage.embedded;

import java.util.List;

/**
 * Makes an embedded engine one shard of a cluster of embedded engines, as a stand-in for a
 * ClickHouse cluster in tests and demos: the engine also serves ClickHouse's native TCP protocol on
 * {@code tcpPort} (which {@code Distributed} tables use between nodes) and its config holds a
 * {@code remote_servers} entry naming every shard. chDB has no Keeper, so such a cluster has plain
 * {@code MergeTree} tables and takes no {@code ON CLUSTER} DDL.
 *
 * @param tcpPort loopback port of the native protocol listener
 * @param config XML elements added inside {@code <clickhouse>} of the engine's config
 * @param password the password of user {@code hearth}, the same on every node (a Hearth server
 *     reaches every node with one set of credentials)
 */
public record EmbeddedClusterNode(int tcpPort, String config, String password) {
  public EmbeddedClusterNode {
    if (tcpPort < 1 || tcpPort > 65535) {
      throw new IllegalArgumentException("tcp port " + tcpPort + " is not in 1..65535");
    }
  }

  /**
   * Shard {@code shard} (1-based) of cluster {@code cluster} whose shards listen on {@code
   * tcpPorts} of the loopback address, one replica each; nodes authenticate each other with {@code
   * secret}.
   */
  public static EmbeddedClusterNode shard(
      String cluster, List<Integer> tcpPorts, int shard, String secret, String password) {
    if (shard < 1 || shard > tcpPorts.size()) {
      throw new IllegalArgumentException(
          "shard " + shard + " is not in 1.." + tcpPorts.size() + " of cluster " + cluster);
    }
    StringBuilder xml = new StringBuilder();
    xml.append("  <remote_servers>\n    <").append(cluster).append(">\n");
    xml.append("      <secret>").append(secret).append("</secret>\n");
    for (int port : tcpPorts) {
      xml.append("      <shard><replica><host>")
          .append(LoopbackPorts.HOST)
          .append("</host><port>")
          .append(port)
          .append("</port></replica></shard>\n");
    }
    xml.append("    </").append(cluster).append(">\n  </remote_servers>\n");
    xml.append("  <macros><shard>")
        .append(shard)
        .append("</shard><replica>")
        .append(LoopbackPorts.HOST)
        .append(':')
        .append(tcpPorts.get(shard - 1))
        .append("</replica></macros>\n");
    return new EmbeddedClusterNode(tcpPorts.get(shard - 1), xml.toString(), password);
  }
}
