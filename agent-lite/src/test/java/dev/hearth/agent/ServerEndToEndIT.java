package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.agent.export.OtlpExporter;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.StackValue;
import dev.hearth.storage.clickhouse.ClickHouseEndpoint;
import dev.hearth.storage.clickhouse.ClickHouseProfileStore;
import dev.hearth.storage.clickhouse.ClickHouseSettings;
import dev.hearth.storage.embedded.EmbeddedClickHouse;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the agent profiles the C chain and exports to the real Hearth server (its jar, run as
 * a child process with its embedded ClickHouse); once the server has stopped, its data directory is
 * opened with the storage module and the merged stacks of the run must carry main → a → b → hot in
 * at least 90% of the value. Needs the server jar, which the full build ({@code ./scripts/test.sh},
 * as CI runs it) packages before this module.
 */
class ServerEndToEndIT {
  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @Test
  void chainReachesTheServersMergedStacks(@TempDir Path dir) throws Exception {
    Path jar = serverJar();
    Path data = dir.resolve("data");
    int http = freePort();
    int grpc = freePort();
    long from = System.currentTimeMillis() * 1_000_000L - 60_000_000_000L;
    Process server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m",
                "-jar",
                jar.toString(),
                "--server.port=" + http,
                "--spring.grpc.server.port=" + grpc,
                "--clickhouse.data-dir=" + data)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    Process workload = null;
    try {
      awaitHealthy(http, server, dir.resolve("server.log"));
      workload = Workloads.startC(Workloads.compileC(dir), 8);
      Thread.sleep(200);
      AgentConfig config =
          AgentConfig.parse(
              "--pid",
              Long.toString(workload.pid()),
              "--frequency",
              "99",
              "--interval",
              "1s",
              "--server",
              "127.0.0.1:" + grpc);
      OtlpExporter exporter = new OtlpExporter(config.server(), "", false, null, 10);
      try (Profiler profiler = new Profiler(config, exporter::offer)) {
        profiler.start();
        Thread.sleep(Duration.ofMillis(3500));
      }
      // Off-CPU goes the same way: the sleeper's 10 × 100 ms in main → a → sleep_here.
      Process sleeper =
          new ProcessBuilder(Workloads.compileC(dir, "sleeper").toString(), "10", "100").start();
      AgentConfig offCpu =
          AgentConfig.parse(
              "--pid",
              Long.toString(sleeper.pid()),
              "--no-cpu",
              "--off-cpu",
              "--interval",
              "1s",
              "--server",
              "127.0.0.1:" + grpc);
      try (Profiler profiler = new Profiler(offCpu, exporter::offer);
          var in = sleeper.getOutputStream()) {
        profiler.start();
        in.write("go\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        in.flush();
        assertThat(sleeper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300);
      }
      exporter.close(Duration.ofSeconds(20));
      assertThat(exporter.sent()).isGreaterThanOrEqualTo(2);
      assertThat(exporter.failures()).isZero();
    } finally {
      if (workload != null) {
        workload.destroy();
      }
      server.destroy();
      server.waitFor();
    }

    long until = System.currentTimeMillis() * 1_000_000L + 60_000_000_000L;
    try (EmbeddedClickHouse ch = new EmbeddedClickHouse(data).start();
        ClickHouseProfileStore store =
            ClickHouseProfileStore.open(
                new ClickHouseEndpoint(ch.httpUrl().toString(), ch.user(), ch.password()),
                ClickHouseSettings.defaults(),
                Map::of)) {
      List<StackValue> merged =
          store
              .queries()
              .mergedStacks(new SeriesSelection("default", ProfileType.CPU, List.of(), from, until))
              .collectList()
              .block();
      assertThat(merged).isNotEmpty();
      Map<Long, Stack> stacks =
          store
              .queries()
              .stacks("default", merged.stream().map(StackValue::stackId).toList())
              .block();
      long all = 0;
      long full = 0;
      for (StackValue v : merged) {
        all += v.value();
        Stack s = stacks.get(v.stackId());
        if (s != null
            && Collections.indexOfSubList(s.functionNamesRootFirst(), Workloads.C_CHAIN) >= 0) {
          full += v.value();
        }
      }
      System.out.printf(
          "server merged stacks: %.1f%% of the value carries main→a→b→hot (%d stacks)%n",
          100.0 * full / all, merged.size());
      assertThat((double) full / all).isGreaterThanOrEqualTo(0.9);

      List<StackValue> off =
          store
              .queries()
              .mergedStacks(
                  new SeriesSelection("default", ProfileType.OFF_CPU, List.of(), from, until))
              .collectList()
              .block();
      assertThat(off).isNotEmpty();
      Map<Long, Stack> offStacks =
          store.queries().stacks("default", off.stream().map(StackValue::stackId).toList()).block();
      long slept = 0;
      for (StackValue v : off) {
        Stack s = offStacks.get(v.stackId());
        if (s != null && s.functionNamesRootFirst().contains("sleep_here")) {
          slept += v.value();
        }
      }
      System.out.printf("server off-CPU: %.3f s in sleep_here (real 1.000 s)%n", slept / 1e9);
      assertThat(slept / 1e9).isBetween(0.8, 1.2);
    }
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

  private static void awaitHealthy(int port, Process server, Path log) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("server exited:\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
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
}
