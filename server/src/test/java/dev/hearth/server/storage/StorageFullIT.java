package dev.hearth.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A full disk, for real: the embedded engine's data directory is a small tmpfs (mounted by the
 * test; it runs as root, like the agent's tests), filled up once the server runs. Writes are then
 * 503 {@code storage_full} with {@code Retry-After} (the client keeps its data and retries), not a
 * 500; reads still answer; once space is freed the same write is acknowledged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageFullIT {
  private static final Path DATA =
      Path.of("target", "it-full-" + UUID.randomUUID()).toAbsolutePath();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws Exception {
    Files.createDirectories(DATA);
    run("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", DATA.toString());
    registry.add("clickhouse.data-dir", DATA::toString);
    registry.add("spring.grpc.server.port", () -> "0");
    registry.add("hearth.ingest.batch-max-delay", () -> "10ms");
  }

  static void run(String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as("%s (this test mounts a tmpfs and needs root): %s", String.join(" ", command), out)
        .isZero();
  }

  @AfterAll
  void unmount() throws Exception {
    run("umount", "-l", DATA.toString());
  }

  @LocalServerPort int port;

  HttpResponse<String> ingest(String service) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + port
                        + "/ingest?name="
                        + service
                        + ".cpu&from="
                        + (now - 10)
                        + "&until="
                        + now))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString("main;work;" + service + " 42\nmain;gc 3\n"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> services() throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + port
                        + "/api/v1/label-values?name=service_name&from=now-1h&until=now%2B1m"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFullDiskIs503WithRetryAfterAndWritesResumeWhenThereIsRoom() throws Exception {
    assertThat(ingest("before").statusCode()).isEqualTo(200);
    Path filler = DATA.resolve("filler");
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("No space left on device");
    }
    HttpResponse<String> full = ingest("during");
    assertThat(full.statusCode()).as(full.body()).isEqualTo(503);
    assertThat(full.headers().firstValue("Retry-After")).isPresent();
    JsonNode body = json.readTree(full.body());
    assertThat(body.get("error").asString()).isEqualTo("storage_full");
    assertThat(body.get("message").asString())
        .isEqualTo("storage unavailable: the database's disk is full");

    assertThat(services().statusCode()).isEqualTo(200);

    Files.delete(filler);
    HttpResponse<String> after = ingest("during");
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    HttpResponse<String> read = services();
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(json.readTree(read.body()).get("values").toString())
        .isEqualTo("[\"before\",\"during\"]");
  }
}
