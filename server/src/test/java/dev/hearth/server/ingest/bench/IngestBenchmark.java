package dev.hearth.server.ingest.bench;

import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.testing.FleetProfiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end ingest throughput: starts the server (a child JVM, {@link BenchServer}) on the
 * embedded ClickHouse, then {@code clients} threads push fleet-shaped profiles through one
 * transport for a warm-up and then {@code seconds}, and it prints acknowledged profiles and samples
 * per second, latency percentiles, and the CPU and resident memory of the server and of the engine,
 * idle and under load. Every counted request was answered OK, i.e. its rows are in ClickHouse.
 *
 * <p>Modes: {@code push} (Pyroscope {@code push.v1.PusherService/Push} over Connect, one gzip pprof
 * per request), {@code otlp} (OTLP gRPC {@code ProfilesService/Export}, gzip, one channel per
 * client, as agents do), {@code ingest} (Pyroscope {@code POST /ingest?format=pprof}).
 *
 * <p>Arguments (optional): mode clients seconds services samplesPerProfile warmupSeconds (default
 * push 16 20 20 1500 5). Every profile holds {@code samplesPerProfile} distinct stacks, drawn from
 * twice as many per service, so consecutive pushes of a service share half their stacks.
 */
public final class IngestBenchmark {
  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "push";
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int services = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    int samples = args.length > 4 ? Integer.parseInt(args[4]) : 1500;
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 5;

    List<Profile> profiles = profiles(services, samples);
    Path data = Path.of("target", "bench-ingest-" + UUID.randomUUID()).toAbsolutePath();
    try (BenchServer server = BenchServer.start(data, List.of("--hearth.ingest.dedup-window=0"))) {
      BenchClients transport = BenchClients.of(mode, server, profiles);
      Thread.sleep(5000);
      double idleServer = BenchServer.rssMiB(server.pid);
      double idleEngine = BenchServer.rssMiB(server.enginePid);

      AtomicLong ok = new AtomicLong();
      AtomicLong okSamples = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      ConcurrentHashMap<String, Integer> statuses = new ConcurrentHashMap<>();
      long measureFrom = System.nanoTime() + warmup * 1_000_000_000L;
      long deadline = measureFrom + seconds * 1_000_000_000L;
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        BenchClients.Client client = transport.client(c);
        int offset = c * 7;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      int i = offset;
                      while (System.nanoTime() < deadline) {
                        int index = i++ % profiles.size();
                        long t0 = System.nanoTime();
                        String status = client.send(index);
                        long t1 = System.nanoTime();
                        if (t0 < measureFrom) {
                          continue;
                        }
                        statuses.merge(status, 1, Integer::sum);
                        if (status.equals("OK")) {
                          ok.incrementAndGet();
                          okSamples.addAndGet(profiles.get(index).samples().size());
                          latencies.add(t1 - t0);
                        } else {
                          failed.incrementAndGet();
                        }
                      }
                    }));
      }
      while (System.nanoTime() < measureFrom) {
        Thread.sleep(10);
      }
      double cpu0 = BenchServer.cpuSeconds(server.pid);
      double engineCpu0 = BenchServer.cpuSeconds(server.enginePid);
      long selfPid = ProcessHandle.current().pid();
      double clientCpu0 = BenchServer.cpuSeconds(selfPid);
      long start = System.nanoTime();
      List<Double> serverRss = new ArrayList<>();
      List<Double> engineRss = new ArrayList<>();
      while (System.nanoTime() < deadline - 500_000_000L) {
        Thread.sleep(1000);
        serverRss.add(BenchServer.rssMiB(server.pid));
        engineRss.add(BenchServer.rssMiB(server.enginePid));
      }
      for (Thread t : threads) {
        t.join();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      double cpu = BenchServer.cpuSeconds(server.pid) - cpu0;
      double engineCpu = BenchServer.cpuSeconds(server.enginePid) - engineCpu0;
      double clientCpu = BenchServer.cpuSeconds(selfPid) - clientCpu0;
      transport.close();

      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      System.out.printf(
          Locale.ROOT,
          "mode %s, clients %d, %d services, %d samples/profile, %.1f KiB per request, %d s"
              + " after %d s warm-up%n",
          mode,
          clients,
          services,
          samples,
          transport.averageBytes() / 1024.0,
          seconds,
          warmup);
      System.out.printf(
          Locale.ROOT,
          "acknowledged %d requests: %.1f profiles/s, %.0f samples/s; refused or failed %d %s%n",
          ok.get(),
          ok.get() / elapsed,
          okSamples.get() / elapsed,
          failed.get(),
          statuses);
      if (!sorted.isEmpty()) {
        System.out.printf(
            Locale.ROOT,
            "latency p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
            sorted.get(sorted.size() / 2) / 1e6,
            sorted.get((int) (sorted.size() * 0.99)) / 1e6,
            sorted.getLast() / 1e6);
      }
      double loadedServer = steady(serverRss);
      double loadedEngine = steady(engineRss);
      System.out.printf(
          Locale.ROOT,
          "server CPU %.0f%% of %d00%%, RSS idle %.0f MiB, under load %.0f MiB (x%.2f), max %.0f"
              + " MiB%n",
          100 * cpu / elapsed,
          Runtime.getRuntime().availableProcessors(),
          idleServer,
          loadedServer,
          loadedServer / idleServer,
          Collections.max(serverRss));
      System.out.printf(
          Locale.ROOT,
          "engine CPU %.0f%%, RSS idle %.0f MiB, under load %.0f MiB, max %.0f MiB%n",
          100 * engineCpu / elapsed,
          idleEngine,
          loadedEngine,
          Collections.max(engineRss));
      System.out.printf(
          Locale.ROOT,
          "load generator CPU %.0f%% (same machine); machine load average %s%n",
          100 * clientCpu / elapsed,
          loadAverage());
    }
    System.exit(0);
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** The median of the second half of the samples: the resident size once the load settled. */
  private static double steady(List<Double> rss) {
    List<Double> tail = new ArrayList<>(rss.subList(rss.size() / 2, rss.size()));
    Collections.sort(tail);
    return tail.isEmpty() ? -1 : tail.get(tail.size() / 2);
  }

  /** Ten profiles per service, each of {@code samples} distinct stacks. */
  private static List<Profile> profiles(int services, int samples) {
    FleetProfiles fleet = new FleetProfiles(42);
    SplittableRandom random = new SplittableRandom(7);
    List<Profile> out = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int s = 0; s < services; s++) {
      List<Stack> stacks = new ArrayList<>(fleet.stacks("svc" + s, 2 * samples, 30));
      for (int i = 0; i < 10; i++) {
        Collections.shuffle(stacks, fleet.javaRandom());
        List<Sample> drawn = new ArrayList<>(samples);
        for (Stack stack : stacks.subList(0, samples)) {
          long count = 1 + random.nextInt(5);
          drawn.add(Sample.of(stack, count * 10_000_000L, count));
        }
        out.add(
            new Profile(
                ProfileType.CPU,
                LabelSet.of("service_name", "svc" + s),
                now - i * 10_000_000_000L,
                10_000_000_000L,
                10_000_000L,
                Temporality.DELTA,
                drawn));
      }
    }
    return out;
  }
}
