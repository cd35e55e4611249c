package dev.hearth.server.ingest.bench;

import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import dev.hearth.model.codec.pprof.PprofEncoder;
import dev.hearth.model.testing.FleetProfiles;
import dev.hearth.server.HearthServerApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * End-to-end ingest throughput: starts the server on the embedded ClickHouse, then {@code clients}
 * threads push fleet-shaped gzip pprof profiles to {@code POST /ingest} for {@code seconds} and it
 * prints acknowledged profiles, samples and bytes per second and the latency percentiles. Every
 * counted request was answered 200, i.e. its rows are in ClickHouse.
 *
 * <p>Arguments (optional): clients seconds services samplesPerProfile (default 4 20 20 2000).
 */
public final class IngestBenchmark {
  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int services = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int samples = args.length > 3 ? Integer.parseInt(args[3]) : 2000;

    FleetProfiles fleet = new FleetProfiles(42);
    List<byte[]> payloads = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int s = 0; s < services; s++) {
      List<Stack> stacks = fleet.stacks("svc" + s, 1000, 30);
      for (int i = 0; i < 10; i++) {
        Profile p =
            fleet.profile(
                ProfileType.CPU,
                LabelSet.of("service_name", "svc" + s),
                now - i * 10_000_000_000L,
                stacks,
                samples);
        payloads.add(PprofEncoder.encodeGzip(List.of(p)));
      }
    }
    long payloadBytes = payloads.stream().mapToLong(b -> b.length).sum() / payloads.size();

    Path data = Path.of("target", "bench-ingest-" + UUID.randomUUID()).toAbsolutePath();
    ConfigurableApplicationContext app =
        SpringApplication.run(
            HearthServerApplication.class,
            "--server.port=0",
            "--spring.grpc.server.port=0",
            "--clickhouse.data-dir=" + data,
            "--hearth.ingest.dedup-window=0",
            "--logging.level.root=WARN");
    int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port", "0"));
    HttpClient http = HttpClient.newHttpClient();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    ConcurrentHashMap<Integer, Integer> statuses = new ConcurrentHashMap<>();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      int offset = c;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    int i = offset;
                    while (System.nanoTime() < deadline) {
                      byte[] body = payloads.get(i++ % payloads.size());
                      long t0 = System.nanoTime();
                      try {
                        HttpResponse<Void> r =
                            http.send(
                                HttpRequest.newBuilder(
                                        URI.create(
                                            "http://127.0.0.1:"
                                                + port
                                                + "/ingest?format=pprof&name=bench"))
                                    .timeout(Duration.ofSeconds(60))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                                HttpResponse.BodyHandlers.discarding());
                        statuses.merge(r.statusCode(), 1, Integer::sum);
                        if (r.statusCode() == 200) {
                          ok.incrementAndGet();
                          latencies.add(System.nanoTime() - t0);
                        } else {
                          failed.incrementAndGet();
                        }
                      } catch (Exception e) {
                        failed.incrementAndGet();
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    app.close();

    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    System.out.printf(
        "clients %d, %d services, %d samples/profile, %.1f KiB gzip pprof per request%n",
        clients, services, samples, payloadBytes / 1024.0);
    System.out.printf(
        "acknowledged %d requests in %.1f s: %.1f profiles/s, %.0f samples/s, %.2f MiB/s;"
            + " refused or failed %d %s%n",
        ok.get(),
        elapsed,
        ok.get() / elapsed,
        ok.get() * samples / elapsed,
        ok.get() * payloadBytes / elapsed / (1 << 20),
        failed.get(),
        statuses);
    if (!sorted.isEmpty()) {
      System.out.printf(
          "latency p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          sorted.get(sorted.size() / 2) / 1e6,
          sorted.get((int) (sorted.size() * 0.99)) / 1e6,
          sorted.getLast() / 1e6);
    }
    System.exit(0);
  }
}
