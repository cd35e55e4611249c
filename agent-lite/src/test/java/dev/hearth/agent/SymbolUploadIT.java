package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.agent.export.OtlpExporter;
import dev.hearth.agent.symbol.DebugInfoUploader;
import dev.hearth.agent.symbol.ObjectFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stripped binary on the agent's host gets names on the server: the agent profiles the C chain
 * built with {@code -g} and then stripped (so the agent itself can name nothing and sends build id
 * + offset), its {@link DebugInfoUploader} finds the split debug file in a {@code .build-id} tree
 * on the host and uploads it to the real server (its jar, with embedded ClickHouse), and the
 * server's flamegraph and folded stacks name main → a → b → hot.
 */
class SymbolUploadIT {
  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @Test
  void theServerNamesAStrippedBinaryFromTheDebugFileTheAgentUploads(@TempDir Path dir)
      throws Exception {
    Path built = Workloads.compileC(dir, "chain", "-g");
    Path debug = dir.resolve("chain.debug");
    Path stripped = dir.resolve("chain-stripped");
    run("objcopy", "--only-keep-debug", built.toString(), debug.toString());
    run("strip", "--strip-all", "-o", stripped.toString(), built.toString());
    Matcher m =
        Pattern.compile("Build ID: ([0-9a-f]+)").matcher(run("readelf", "-n", stripped.toString()));
    assertThat(m.find()).isTrue();
    String buildId = m.group(1);
    Path tree = dir.resolve("host-debug");
    Path inTree =
        tree.resolve(
            ".build-id/" + buildId.substring(0, 2) + "/" + buildId.substring(2) + ".debug");
    Files.createDirectories(inTree.getParent());
    Files.copy(debug, inTree);

    long from = System.currentTimeMillis() / 1000 - 60;
    HearthServer server = HearthServer.start(dir);
    int http = server.http;
    Process workload = null;
    DebugInfoUploader uploader =
        new DebugInfoUploader(URI.create("http://127.0.0.1:" + http), "", List.of(tree));
    try {
      ObjectFiles.uploadTo(uploader);
      workload = Workloads.startC(stripped, 8);
      Thread.sleep(200);
      OtlpExporter exporter = new OtlpExporter(server.otlp(), "", false, null, 10);
      server.profileCpu(workload.pid(), exporter, Duration.ofMillis(3500));
      exporter.close(Duration.ofSeconds(20));
      assertThat(exporter.failures()).isZero();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!uploaded(http, buildId) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      // The chain's debug file, and any other object's the server lacked (ld.so keeps a .symtab).
      assertThat(uploaded(http, buildId)).as("chain's debug file uploaded").isTrue();
      assertThat(uploader.uploaded()).isPositive();
      assertThat(uploader.failed()).isZero();

      String selection =
          URLEncoder.encode(
              "process_cpu:cpu:nanoseconds:cpu:nanoseconds{}", StandardCharsets.UTF_8);
      String range = "&from=" + from + "&until=" + (System.currentTimeMillis() / 1000 + 60);
      FoldedShare share =
          FoldedShare.of(
              server.get("/api/v1/folded?query=" + selection + range), Workloads.C_CHAIN);
      System.out.printf(
          "stripped chain, names from the uploaded debug file: %.1f%% of the value carries"
              + " main→a→b→hot%n",
          100.0 * share.fraction());
      assertThat(share.all()).isPositive();
      assertThat(share.fraction()).isGreaterThanOrEqualTo(0.9);
      String flamegraph = server.get("/api/v1/flamegraph?query=" + selection + range);
      for (String frame : Workloads.C_CHAIN) {
        assertThat(flamegraph).contains("\"" + frame + "\"");
      }
      // The names came from the server's symboliser, not from the agent.
      Matcher symbolized =
          Pattern.compile(
                  "hearth_symbols_frames_total\\{[^}]*outcome=\"symbolized\"[^}]*\\} ([0-9.eE+]+)")
              .matcher(server.get("/metrics"));
      assertThat(symbolized.find()).isTrue();
      assertThat(Double.parseDouble(symbolized.group(1))).isGreaterThanOrEqualTo(4);
    } finally {
      ObjectFiles.uploadTo(null);
      uploader.close();
      if (workload != null) {
        workload.destroy();
      }
      server.close();
    }
  }

  private static boolean uploaded(int port, String buildId) throws Exception {
    return HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/symbols/" + buildId))
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode()
        == 200;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }
}
