package dev.hearth.server.ingest.bench;

import dev.hearth.server.HearthServerApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server under benchmark, run as a child JVM from this classpath so its CPU and memory are its
 * own (the load generator's threads are not counted), plus the embedded engine it starts. JVM
 * options: {@code HEARTH_SERVER_JVM_OPTS}, the memory settings {@code scripts/env.sh} gives every
 * script, then {@code HEARTH_BENCH_SERVER_OPTS} (e.g. a JFR recording).
 */
final class BenchServer implements AutoCloseable {
  private static final Pattern ENGINE_PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  final int httpPort;
  final int grpcPort;
  final long pid;
  final long enginePid;
  private final Process process;

  private BenchServer(Process process, int httpPort, int grpcPort, long enginePid) {
    this.process = process;
    this.pid = process.pid();
    this.httpPort = httpPort;
    this.grpcPort = grpcPort;
    this.enginePid = enginePid;
  }

  static BenchServer start(Path data, List<String> serverArgs) throws Exception {
    int http = freePort();
    int grpc = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(Arrays.asList(defaultJvmOptions().trim().split("\\s+")));
    String extra = System.getenv("HEARTH_BENCH_SERVER_OPTS");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(HearthServerApplication.class.getName());
    cmd.add("--server.address=127.0.0.1");
    cmd.add("--server.port=" + http);
    cmd.add("--spring.grpc.server.address=127.0.0.1");
    cmd.add("--spring.grpc.server.port=" + grpc);
    cmd.add("--clickhouse.data-dir=" + data);
    cmd.add("--logging.level.root=WARN");
    cmd.addAll(serverArgs);
    Files.createDirectories(data);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile())
            .start();
    HttpClient http1 = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("server exited " + p.exitValue() + ", see its log");
      }
      try {
        HttpResponse<String> r =
            http1.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = ENGINE_PID.matcher(r.body());
        if (r.statusCode() == 200) {
          return new BenchServer(p, http, grpc, m.find() ? Long.parseLong(m.group(1)) : -1);
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    p.destroyForcibly();
    throw new IllegalStateException("server not healthy after 3 minutes");
  }

  /** The server's memory settings from {@code scripts/env.sh}, as run.sh starts it. */
  private static String defaultJvmOptions() {
    String opts = System.getenv("HEARTH_SERVER_JVM_OPTS");
    return opts == null || opts.isBlank() ? "-Xshare:auto" : opts;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** CPU seconds (user + system) the process has used, or -1 once it is gone. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Resident memory in MiB, or -1 once the process is gone. */
  static double rssMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
