package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.agent.export.OtlpExporter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Hearth server for end-to-end tests: its jar, run as a child process with its embedded
 * ClickHouse on free ports, read back through its query API as a user would. Needs the server jar,
 * which the full build ({@code ./scripts/test.sh}, as CI runs it) packages before this module.
 */
final class HearthServer implements AutoCloseable {
  final int http;
  final int grpc;
  private final Process process;

  private HearthServer(int http, int grpc, Process process) {
    this.http = http;
    this.grpc = grpc;
    this.process = process;
  }

  /** Starts the server with its data under {@code dir} and waits until {@code /health} is 200. */
  static HearthServer start(Path dir) throws Exception {
    Path jar = serverJar();
    int http = freePort();
    int grpc = freePort();
    Path log = dir.resolve("server.log");
    Process server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m",
                "-jar",
                jar.toString(),
                "--server.port=" + http,
                "--spring.grpc.server.port=" + grpc,
                "--clickhouse.data-dir=" + dir.resolve("data"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    HearthServer s = new HearthServer(http, grpc, server);
    try {
      s.awaitHealthy(log);
    } catch (Exception | AssertionError e) {
      s.close();
      throw e;
    }
    return s;
  }

  /**
   * Runs the agent on {@code pid}'s CPU at 99 Hz for {@code duration}, its profiles (exported every
   * second) handed to {@code exporter}.
   *
   * @param more further agent arguments, e.g. {@code --service-name x}
   */
  void profileCpu(long pid, OtlpExporter exporter, Duration duration, String... more)
      throws Exception {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--pid", Long.toString(pid), "--frequency", "99", "--interval", "1s"));
    args.addAll(List.of(more));
    args.addAll(List.of("--server", otlp()));
    AgentConfig config = AgentConfig.parse(args.toArray(String[]::new));
    try (Profiler profiler = new Profiler(config, exporter::offer)) {
      profiler.start();
      Thread.sleep(duration);
    }
  }

  /** {@code host:port} of the OTLP gRPC listener. */
  String otlp() {
    return "127.0.0.1:" + grpc;
  }

  /** GET on the HTTP API; asserts 200. */
  String get(String pathAndQuery) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + pathAndQuery))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  /** The query parameters for one profile type and selector over {@code [fromSeconds, now+60)}. */
  static String query(String type, String selector, long fromSeconds) {
    return "query="
        + URLEncoder.encode(type + selector, StandardCharsets.UTF_8)
        + "&from="
        + fromSeconds
        + "&until="
        + (System.currentTimeMillis() / 1000 + 60);
  }

  private static Path serverJar() throws IOException {
    Path target = Path.of("../server/target");
    if (Files.isDirectory(target)) {
      try (Stream<Path> files = Files.list(target)) {
        var jar =
            files
                .filter(p -> p.getFileName().toString().matches("hearth-server-.*\\.jar"))
                .findFirst();
        if (jar.isPresent()) {
          return jar.get();
        }
      }
    }
    Assumptions.abort(
        "server/target/hearth-server-*.jar is not built: this test runs in the full build"
            + " (./scripts/test.sh, as CI runs it), not with -pl agent-lite");
    throw new AssertionError("unreachable");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void awaitHealthy(Path log) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("server exited:\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("server not healthy in 120 s:\n" + Files.readString(log));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
