package dev.hearth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.server.HearthServerApplication;
import dev.hearth.storage.clickhouse.TestCluster;
import dev.hearth.storage.embedded.EmbeddedClickHouse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Two Hearth servers on a two-shard cluster of embedded engines (each server connected to its own
 * shard, as behind a load balancer): whatever is pushed through either is answered identically by
 * both, and with one shard killed a write is either acknowledged and kept, or refused with 503.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final String CPU = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";

  /** One folded sample at sampleRate 100 is 10 ms of CPU. */
  private static final long SAMPLE_NANOS = 10_000_000L;

  private static final ObjectMapper json = new ObjectMapper();
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static TestCluster cluster;
  private static final List<ConfigurableApplicationContext> servers = new ArrayList<>();
  private static final List<String> bases = new ArrayList<>();
  private static final long fromSeconds = System.currentTimeMillis() / 1000 - 600;

  /** Samples acknowledged per service. */
  private static final Map<String, Long> acknowledged = new TreeMap<>();

  @BeforeAll
  static void start() {
    cluster = TestCluster.start("server-cluster-it", 2);
    String database = "hearth_cluster_it";
    for (int i = 0; i < 2; i++) {
      ConfigurableApplicationContext ctx =
          new SpringApplicationBuilder(HearthServerApplication.class)
              .run(
                  "--server.port=0",
                  "--spring.grpc.server.port=" + freePort(),
                  "--clickhouse.url=" + cluster.urls().get(i),
                  "--clickhouse.user=hearth",
                  "--clickhouse.password=" + cluster.password(),
                  "--clickhouse.database=" + database,
                  "--clickhouse.cluster=" + TestCluster.NAME,
                  "--clickhouse.cluster-nodes=" + String.join(",", cluster.urls()),
                  "--clickhouse.query-timeout=10s",
                  "--hearth.ingest.batch-max-delay=5ms");
      servers.add(ctx);
      bases.add("http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port"));
    }
  }

  @AfterAll
  static void stop() {
    servers.forEach(ConfigurableApplicationContext::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void bothServersGiveTheSameAnswersWhicheverServerTookTheWrites() throws Exception {
    for (int s = 0; s < 12; s++) {
      String service = "svc-" + s;
      // Each service goes through both servers, so either one has only part of it.
      for (int server = 0; server < 2; server++) {
        int samples = 10 + s + server;
        assertThat(push(server, service, samples)).as(service).isEqualTo(200);
        acknowledged.merge(service, (long) samples * 3, Long::sum);
      }
    }
    String flame = get(0, "/api/v1/flamegraph", "query", CPU + "{}");
    assertThat(flame).isEqualTo(get(1, "/api/v1/flamegraph", "query", CPU + "{}"));
    assertThat(json.readTree(flame).get("total").asLong())
        .isEqualTo(sum(acknowledged) * SAMPLE_NANOS);
    String one = get(1, "/api/v1/flamegraph", "query", CPU + "{service_name=\"svc-3\"}");
    assertThat(one)
        .isEqualTo(get(0, "/api/v1/flamegraph", "query", CPU + "{service_name=\"svc-3\"}"));
    assertThat(json.readTree(one).get("total").asLong())
        .isEqualTo(acknowledged.get("svc-3") * SAMPLE_NANOS);

    String series = get(0, "/api/v1/series", "query", CPU + "{}", "groupBy", "service_name");
    assertThat(series)
        .isEqualTo(get(1, "/api/v1/series", "query", CPU + "{}", "groupBy", "service_name"));
    assertThat(series).contains("svc-0").contains("svc-11");
    String values = get(1, "/api/v1/label-values", "name", "service_name");
    assertThat(values).isEqualTo(get(0, "/api/v1/label-values", "name", "service_name"));
    assertThat(labelValues(values)).containsAll(acknowledged.keySet());
  }

  @Test
  @Order(2)
  void withAShardKilledWritesAreAcknowledgedAndKeptOrRefusedWith503() throws Exception {
    EmbeddedClickHouse shard2 = cluster.engines().get(1);
    ProcessHandle child = ProcessHandle.of(shard2.pid()).orElseThrow();
    child.destroyForcibly();
    child.onExit().get();
    Map<String, Integer> codes = new LinkedHashMap<>();
    for (int s = 0; s < 24; s++) {
      String service = "down-" + s;
      int code = push(s % 2, service, 7);
      codes.put(service, code);
      if (code == 200) {
        acknowledged.merge(service, 7L * 3, Long::sum);
      }
    }
    // Server 2's own node is down: all of its writes fail. Server 1 takes the new series that
    // live on shard 1 (their stacks are known already) and refuses those of shard 2.
    assertThat(codes.values()).containsOnly(200, 503).contains(200, 503);
    for (int s = 1; s < 24; s += 2) {
      assertThat(codes.get("down-" + s)).isEqualTo(503);
    }
    shard2.restart();
    assertThat(shard2.httpUrl().toString()).isEqualTo(cluster.urls().get(1));
    for (int server = 0; server < 2; server++) {
      assertThat(push(server, "after-" + server, 5)).isEqualTo(200);
      acknowledged.merge("after-" + server, 5L * 3, Long::sum);
    }
    for (int server = 0; server < 2; server++) {
      String values = get(server, "/api/v1/label-values", "name", "service_name");
      assertThat(labelValues(values)).containsAll(acknowledged.keySet());
      for (Map.Entry<String, Long> e : acknowledged.entrySet()) {
        String flame =
            get(
                server,
                "/api/v1/flamegraph",
                "query",
                CPU + "{service_name=\"" + e.getKey() + "\"}");
        assertThat(json.readTree(flame).get("total").asLong())
            .as(e.getKey() + " through server " + server)
            .isEqualTo(e.getValue() * SAMPLE_NANOS);
      }
    }
  }

  /** Pushes 3 stacks × {@code samples} each for one service; returns the status code. */
  private static int push(int server, String service, int samples) throws Exception {
    String folded =
        "main;serve;parse %d\nmain;serve;render %d\nmain;gc %d\n"
            .formatted(samples, samples, samples);
    String name = URLEncoder.encode(service + ".cpu{env=it}", StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    bases.get(server)
                        + "/ingest?name="
                        + name
                        + "&sampleRate=100&from="
                        + fromSeconds
                        + "&until="
                        + (fromSeconds + 10)))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(folded))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String get(int server, String path, String... params) throws Exception {
    StringBuilder uri =
        new StringBuilder(bases.get(server))
            .append(path)
            .append("?from=")
            .append(fromSeconds - 60)
            .append("&until=")
            .append(fromSeconds + 7200);
    for (int i = 0; i < params.length; i += 2) {
      uri.append('&')
          .append(params[i])
          .append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(uri.toString()))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(uri + ": " + response.body()).isEqualTo(200);
    return response.body();
  }

  private static List<String> labelValues(String body) {
    List<String> out = new ArrayList<>();
    JsonNode node = json.readTree(body);
    JsonNode values = node.isArray() ? node : node.get("values");
    values.forEach(v -> out.add(v.asString()));
    return out;
  }

  private static long sum(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
