package dev.hearth.agent;

import dev.hearth.agent.export.OtlpExporter;
import dev.hearth.model.Profile;
import dev.hearth.model.codec.pprof.PprofEncoder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The command line: {@code hearth-agent --server host:4317} streams OTLP profiles until SIGINT or
 * SIGTERM; {@code hearth-agent --output cpu.pb.gz --duration 30s} writes one pprof file, like
 * {@code perf record}. See {@link AgentConfig#USAGE}.
 */
public final class AgentMain {
  /** Counted down when the agent has detached and flushed; the shutdown hook waits for it. */
  private static final CountDownLatch CLEANED = new CountDownLatch(1);

  private AgentMain() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(AgentConfig.parse(args));
    } catch (AgentException e) {
      System.err.println("hearth-agent: " + e.getMessage());
      code = e.exitCode();
    } finally {
      CLEANED.countDown();
    }
    System.exit(code);
  }

  static int run(AgentConfig config) {
    CountDownLatch done = new CountDownLatch(1);
    List<Profile> collected = new ArrayList<>();
    OtlpExporter exporter =
        config.output() == null
            ? new OtlpExporter(
                config.server(),
                config.token(),
                config.tls(),
                config.caFile() == null ? null : new File(config.caFile().toString()),
                config.bufferBatches())
            : null;
    if (exporter != null) {
      // HEARTH_SYMBOLS_URL=http://hearth:4040: debug info the server lacks is uploaded to it.
      dev.hearth.agent.symbol.ObjectFiles.uploadTo(
          dev.hearth.agent.symbol.DebugInfoUploader.fromEnvironment(
              System.getenv(), config.token()));
    }
    Profiler profiler =
        new Profiler(
            config,
            batch -> {
              if (exporter != null) {
                exporter.offer(batch);
              } else {
                synchronized (collected) {
                  collected.addAll(batch.profiles());
                }
              }
            });
    Thread hook =
        new Thread(
            () -> {
              done.countDown();
              // SIGINT/SIGTERM: the main thread detaches and flushes; the JVM halts when it is
              // done.
              try {
                CLEANED.await(15, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "hearth-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      profiler.start();
      System.err.printf(
          "hearth-agent: sampling %s at %d Hz%s%n",
          config.pid() != 0
              ? "pid " + config.pid()
              : config.cgroup().isEmpty() ? "all processes" : "cgroup " + config.cgroup(),
          config.frequencyHz(),
          exporter != null ? ", exporting to " + config.server() : ", writing " + config.output());
      Duration d = config.duration();
      if (d != null) {
        done.await(d.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        done.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      profiler.close();
      if (exporter != null) {
        exporter.close(Duration.ofSeconds(5));
      }
    }
    System.err.printf(
        "hearth-agent: stats samples=%d export_sent=%d export_failures=%d export_dropped=%d"
            + " wire_bytes=%d%n",
        profiler.samples(),
        exporter == null ? 0 : exporter.sent(),
        exporter == null ? 0 : exporter.failures(),
        exporter == null ? 0 : exporter.dropped(),
        exporter == null ? 0 : exporter.wireBytes());
    if (config.output() != null) {
      return writePprof(config.output(), collected);
    }
    return profiler.failure() == null ? 0 : AgentException.FAILED;
  }

  private static int writePprof(Path output, List<Profile> profiles) {
    try {
      Files.write(output, PprofEncoder.encodeGzip(profiles));
      System.err.println("hearth-agent: wrote " + output);
      return 0;
    } catch (IOException e) {
      System.err.println("hearth-agent: cannot write " + output + ": " + e.getMessage());
      return AgentException.FAILED;
    }
  }
}
