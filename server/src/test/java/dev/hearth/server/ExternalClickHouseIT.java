package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.server.storage.StorageConfiguration;
import dev.hearth.storage.embedded.EmbeddedClickHouse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code clickhouse.url} with user, password and database: the server uses that ClickHouse and
 * starts no engine of its own. The "external" server here is a ClickHouse the test starts itself
 * (the embedded engine's child, reached over plain HTTP like any other server).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExternalClickHouseIT {
  private static final EmbeddedClickHouse OUTSIDE =
      new EmbeddedClickHouse(
          Path.of("target", "external-ch-" + UUID.randomUUID()).toAbsolutePath());

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    OUTSIDE.start();
    registry.add("clickhouse.url", () -> OUTSIDE.httpUrl().toString());
    registry.add("clickhouse.user", OUTSIDE::user);
    registry.add("clickhouse.password", OUTSIDE::password);
    registry.add("clickhouse.database", () -> "hearth_external");
    registry.add("spring.grpc.server.port", () -> "0");
  }

  @AfterAll
  static void stop() {
    OUTSIDE.close();
  }

  @LocalServerPort int port;
  @Autowired StorageConfiguration.Engine engine;

  @Test
  void usesTheConfiguredClickHouseAndStartsNoEngine() throws Exception {
    assertThat(engine.embedded()).isNull();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body())
          .contains("\"mode\":\"external\"")
          .contains("\"database\":\"hearth_external\"")
          .contains(OUTSIDE.httpUrl().toString());

      HttpResponse<String> ingest =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + port + "/ingest?name=outside.cpu&sampleRate=100"))
                  .POST(HttpRequest.BodyPublishers.ofString("main;work 7\n"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ingest.statusCode()).isEqualTo(200);
      String sql = "SELECT sum(count) FROM hearth_external.samples";
      HttpResponse<String> stored =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          OUTSIDE.httpUrl()
                              + "/?query="
                              + java.net.URLEncoder.encode(
                                  sql, java.nio.charset.StandardCharsets.UTF_8)))
                  .header(
                      "Authorization",
                      "Basic "
                          + java.util.Base64.getEncoder()
                              .encodeToString(
                                  (OUTSIDE.user() + ":" + OUTSIDE.password())
                                      .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(stored.body().strip()).isEqualTo("7");
    }
  }
}
