package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.server.storage.StorageConfiguration;
import dev.hearth.storage.ProfileStore;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.StackValue;
import dev.hearth.storage.StorageUnavailableException;
import dev.hearth.storage.WriteBatch;
import dev.hearth.storage.embedded.EmbeddedClickHouse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The server as a user runs it: embedded ClickHouse, /health, /metrics, the engine dying. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HearthServerIT {
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final int GRPC_PORT = freePort();

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    Path dataDir = Path.of("target", "it-data-" + UUID.randomUUID()).toAbsolutePath();
    registry.add("clickhouse.data-dir", dataDir::toString);
    registry.add("spring.grpc.server.port", () -> Integer.toString(GRPC_PORT));
    // Hold the restart back long enough to observe the engine down.
    registry.add("clickhouse.restart-delay", () -> "3s");
  }

  @LocalServerPort int port;
  @Autowired ProfileStore store;
  @Autowired StorageConfiguration.Engine engine;

  private HttpResponse<String> get(String uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> health() throws Exception {
    return get("http://127.0.0.1:" + port + "/health");
  }

  @Test
  @Order(1)
  void healthIsUpAndShowsClickHouse26OrNewer() throws Exception {
    HttpResponse<String> response = health();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"mode\":\"embedded\"");
    String version = response.body().replaceAll("(?s).*\"version\":\"([0-9.]+)\".*", "$1");
    assertThat(Integer.parseInt(version.split("\\.")[0])).isGreaterThanOrEqualTo(26);
  }

  @Test
  @Order(2)
  void grpcListenerAnswersHealthChecks() {
    io.grpc.ManagedChannel channel =
        io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
    try {
      var response =
          io.grpc.health.v1.HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
              .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance());
      assertThat(response.getStatus())
          .isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  @Order(2)
  void metricsArePrometheusText() throws Exception {
    HttpResponse<String> response = get("http://127.0.0.1:" + port + "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("# TYPE jvm_memory_used_bytes gauge")
        .contains("http_server_requests");
  }

  @Test
  @Order(3)
  void theEngineWithoutThePasswordReadsNoTableAndNoFile() throws Exception {
    EmbeddedClickHouse ch = engine.embedded();
    for (String sql :
        List.of(
            "SELECT count() FROM hearth.samples",
            "SELECT * FROM file('/etc/passwd', 'LineAsString')",
            "SELECT * FROM system.users")) {
      HttpResponse<String> response =
          get(ch.httpUrl() + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
      assertThat(response.statusCode()).as(sql).isNotEqualTo(200);
      assertThat(response.body()).as(sql).containsAnyOf("ACCESS_DENIED", "Not enough privileges");
    }
    HttpResponse<String> ping = get(ch.httpUrl() + "/ping");
    assertThat(ping.body()).isEqualTo("Ok.\n");
  }

  @Test
  @Order(4)
  void killingTheEngineTurnsHealthDownFailsWritesAndLosesNothingAcknowledged() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    Stack stack = Stack.ofFunctionNamesRootFirst(List.of("main", "serve", "parse"));
    Profile p =
        new Profile(
            ProfileType.CPU,
            LabelSet.of("service_name", "it"),
            now,
            10_000_000_000L,
            10_000_000L,
            Temporality.DELTA,
            List.of(Sample.of(stack, 70_000_000L, 7)));
    store.writer().write(new WriteBatch("default", List.of(p))).block();

    EmbeddedClickHouse ch = engine.embedded();
    long pid = ch.pid();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !ch.isAlive());

    // Down: health says so and a write is refused, not dropped.
    // A restart takes over a second (a new JVM loads libchdb), so this is the window it is down in.
    HttpResponse<String> down = health();
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).contains("\"status\":\"DOWN\"");
    assertThatThrownBy(() -> store.writer().write(new WriteBatch("default", List.of(p))).block())
        .isInstanceOf(StorageUnavailableException.class);

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> health().statusCode() == 200);
    assertThat(ch.pid()).isNotEqualTo(pid);
    assertThat(health().body()).contains("\"restarts\":1");
    List<StackValue> back =
        store
            .queries()
            .mergedStacks(
                new SeriesSelection(
                    "default",
                    ProfileType.CPU,
                    List.of(),
                    now - 1_000_000_000L,
                    now + 60_000_000_000L))
            .collectList()
            .block();
    assertThat(back).containsExactly(new StackValue(stack.id(), 70_000_000L, 7));
  }
}
