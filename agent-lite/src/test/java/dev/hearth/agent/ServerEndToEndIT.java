package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.agent.export.OtlpExporter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the agent profiles the C chain and exports to the real Hearth server (its jar, run as
 * a child process with its embedded ClickHouse); the server's merged profile of the run, read back
 * through its query API as a user would, must carry main → a → b → hot in at least 90% of the
 * value, and its flamegraph must name the chain. Needs the server jar, which the full build ({@code
 * ./scripts/test.sh}, as CI runs it) packages before this module.
 */
class ServerEndToEndIT {
  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @Test
  void chainReachesTheServersMergedStacks(@TempDir Path dir) throws Exception {
    long from = System.currentTimeMillis() * 1_000_000L - 60_000_000_000L;
    HearthServer server = HearthServer.start(dir);
    int grpc = server.grpc;
    Process workload = null;
    try {
      workload = Workloads.startC(Workloads.compileC(dir), 8);
      Thread.sleep(200);
      OtlpExporter exporter = new OtlpExporter(server.otlp(), "", false, null, 10);
      server.profileCpu(workload.pid(), exporter, Duration.ofMillis(3500));
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
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertThat(sleeper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300);
      }
      exporter.close(Duration.ofSeconds(20));
      assertThat(exporter.sent()).isGreaterThanOrEqualTo(2);
      assertThat(exporter.failures()).isZero();

      // What a user sees: the server's merged profile of the run, through its query API.
      long until = System.currentTimeMillis() / 1000 + 60;
      String selection =
          URLEncoder.encode(
              "process_cpu:cpu:nanoseconds:cpu:nanoseconds{}", StandardCharsets.UTF_8);
      String range = "&from=" + (from / 1_000_000_000L) + "&until=" + until;
      String folded = server.get("/api/v1/folded?query=" + selection + range);
      FoldedShare share = FoldedShare.of(folded, Workloads.C_CHAIN);
      System.out.printf(
          "server's merged profile: %.1f%% of the value carries main→a→b→hot%n",
          100.0 * share.fraction());
      assertThat(share.all()).isPositive();
      assertThat(share.fraction()).isGreaterThanOrEqualTo(0.9);
      // The flamegraph of the same selection names every frame of the chain.
      String flamegraph = server.get("/api/v1/flamegraph?query=" + selection + range);
      for (String frame : Workloads.C_CHAIN) {
        assertThat(flamegraph).contains("\"" + frame + "\"");
      }
      // The off-CPU profile type, through the same API: the sleep is in sleep_here.
      String offSelection =
          URLEncoder.encode(
              "off_cpu:off_cpu:nanoseconds:off_cpu:nanoseconds{}", StandardCharsets.UTF_8);
      long slept = 0;
      for (String line : server.get("/api/v1/folded?query=" + offSelection + range).split("\n")) {
        int space = line.lastIndexOf(' ');
        if (space > 0 && List.of(line.substring(0, space).split(";")).contains("sleep_here")) {
          slept += Long.parseLong(line.substring(space + 1).strip());
        }
      }
      System.out.printf(
          "server's off-CPU profile: %.3f s in sleep_here (real 1.000 s)%n", slept / 1e9);
      assertThat(slept / 1e9).isBetween(0.8, 1.2);
    } finally {
      if (workload != null) {
        workload.destroy();
      }
      server.close();
    }
  }
}
