package dev.hearth.query.bench;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.testing.FleetProfiles;
import dev.hearth.query.QueryEngine;
import dev.hearth.query.QueryLimits;
import dev.hearth.query.QueryParams;
import dev.hearth.query.Selector;
import dev.hearth.query.json.JsonWritable;
import dev.hearth.query.json.JsonWriter;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.WriteBatch;
import dev.hearth.storage.clickhouse.ClickHouseConnection;
import dev.hearth.storage.clickhouse.ClickHouseEndpoint;
import dev.hearth.storage.clickhouse.ClickHouseProfileStore;
import dev.hearth.storage.clickhouse.ClickHouseSettings;
import dev.hearth.storage.embedded.EmbeddedClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates 24 hours of CPU profiles for a fleet into the embedded engine and prints the latency of
 * the queries people run: flamegraphs over 1 h and 24 h for one service and for all, a 1 h vs 1 h
 * diff, top functions, a 24 h series, label values; plus the CPU time this process (the query side
 * of a server) and the engine spend per query, and their resident memory during the run. The result
 * cache is off, so every timed query reads storage. Each query is timed cold (a new {@link
 * QueryEngine} with empty caches, and the engine's mark, uncompressed, query and other caches
 * dropped, before every run; the OS page cache is left alone) and warm (one engine, caches filled).
 *
 * <p>Data: per service one series and one profile every 10 s, each of {@code samples} stack rows
 * drawn (skewed: a few stacks dominate, as in real profiles) from the service's {@code stacks}
 * distinct stacks of depth 20. Dictionaries and series go through the storage SPI; the bulk of the
 * sample rows is generated inside ClickHouse with {@code INSERT … SELECT}, which the rollup views
 * see like any insert.
 *
 * <p>Run with {@code scripts/bench-query.sh [services stacks samplesPerProfile runs coldRuns]}
 * (defaults {@code 50 1000 100 20 5}).
 */
public final class QueryBenchmark {
  private static final long SECOND = 1_000_000_000L;
  private static final long HOUR = 3600 * SECOND;
  private static final String TENANT = "bench";

  public static void main(String[] args) throws Exception {
    int services = arg(args, 0, 50);
    int stacksPerService = arg(args, 1, 1000);
    int samplesPerProfile = arg(args, 2, 100);
    int runs = arg(args, 3, 20);
    int coldRuns = arg(args, 4, 5);
    long profilesPerService = 24 * 360;
    System.out.printf(
        "workload: %d services x 24 h, one profile per service every 10 s (%d profiles), %d stack"
            + " rows each from %d distinct stacks of depth 20 per service: %,d sample rows%n",
        services,
        services * profilesPerService,
        samplesPerProfile,
        stacksPerService,
        services * profilesPerService * samplesPerProfile);

    // HEARTH_BENCH_DIR keeps the generated data between runs (the same range is queried again).
    String keep = System.getenv("HEARTH_BENCH_DIR");
    Path dataDir =
        keep == null
            ? Files.createTempDirectory("hearth-query-bench-")
            : Files.createDirectories(Path.of(keep));
    Path marker = dataDir.resolve("generated-until");
    RssSampler rss = new RssSampler();
    try (EmbeddedClickHouse engine = new EmbeddedClickHouse(dataDir).start()) {
      rss.enginePid = engine.pid();
      rss.start();
      ClickHouseEndpoint endpoint =
          new ClickHouseEndpoint(engine.httpUrl().toString(), engine.user(), engine.password());
      ClickHouseSettings settings = ClickHouseSettings.defaults();
      boolean reuse = Files.exists(marker);
      long until =
          reuse
              ? Long.parseLong(Files.readString(marker).strip())
              : (System.currentTimeMillis() / 60_000L) * 60_000L * 1_000_000L;
      long from = until - 24 * HOUR;
      try (ClickHouseProfileStore store = ClickHouseProfileStore.open(endpoint, settings, Map::of);
          ClickHouseConnection sql = new ClickHouseConnection(endpoint, settings)) {
        long t0 = System.nanoTime();
        if (!reuse) {
          generate(store, sql, services, stacksPerService, samplesPerProfile, from, until);
          Files.writeString(marker, Long.toString(until));
        }
        System.out.printf(
            "generated in %.1f s; engine RSS %s, query process RSS %s%n",
            (System.nanoTime() - t0) / 1e9, mb(rss.engineNow()), mb(rss.selfNow()));
        // A server that has been ingesting for a day has merged its parts: wait for the
        // background merges the bulk insert started, as they would skew every figure.
        long m0 = System.nanoTime();
        while (merging(sql) && System.nanoTime() - m0 < 300 * SECOND) {
          Thread.sleep(1000);
        }
        System.out.printf(
            "waited %.1f s for background merges; %s parts in samples, %s in stacks_hourly%n",
            (System.nanoTime() - m0) / 1e9,
            scalar(
                sql,
                "SELECT count() AS n FROM system.parts WHERE database = currentDatabase() AND table = 'samples' AND active"),
            scalar(
                sql,
                "SELECT count() AS n FROM system.parts WHERE database = currentDatabase() AND table = 'stacks_hourly' AND active"));

        rss.reset();
        LabelMatcher one = LabelMatcher.eq("service_name", "svc7");
        SeriesSelection oneHour = sel(from + 23 * HOUR, until, one);
        SeriesSelection oneDay = sel(from, until, one);
        SeriesSelection allHour = sel(from + 23 * HOUR, until);
        SeriesSelection allDay = sel(from, until);
        Timer timer = new Timer(store, sql, rss, runs, coldRuns);
        System.out.printf(
            "cold = a new QueryEngine (empty stack/name caches) and the engine's caches dropped"
                + " (%s) before each run, after %d untimed cold runs that compile the code;"
                + " warm = one engine, %d runs after one untimed run%n",
            timer.dropped(), Timer.WARM_UP_RUNS, runs);
        System.out.printf(
            "%-40s %17s %17s %21s %21s%n",
            "query",
            "cold p50/p95 ms",
            "warm p50/p95 ms",
            "cold cpu ms self/eng",
            "warm cpu ms self/eng");
        timer.time("flamegraph 1 h, one service", q -> json(q.flamegraph(oneHour, 8192)));
        timer.time("flamegraph 24 h, one service", q -> json(q.flamegraph(oneDay, 8192)));
        timer.time("flamegraph 1 h, all services", q -> json(q.flamegraph(allHour, 8192)));
        timer.time("flamegraph 24 h, all services", q -> json(q.flamegraph(allDay, 8192)));
        timer.time(
            "diff 1 h vs previous 1 h, one service",
            q -> json(q.diff(sel(from + 22 * HOUR, from + 23 * HOUR, one), oneHour, 8192)));
        timer.time(
            "diff 1 h vs previous 1 h, all services",
            q -> json(q.diff(sel(from + 22 * HOUR, from + 23 * HOUR), allHour, 8192)));
        timer.time("top 24 h, all services", q -> json(q.top(allDay, 100, false)));
        timer.time(
            "series 24 h, one service (auto step)",
            q -> json(q.series(oneDay, null, List.of(), 20)));
        timer.time(
            "series 24 h, all, by service_name, top 20",
            q -> json(q.series(allDay, null, List.of("service_name"), 20)));
        timer.time(
            "label values service_name, 24 h",
            q ->
                q.labelValues(
                        TENANT,
                        "service_name",
                        new Selector(ProfileType.CPU, List.of()),
                        new QueryParams.Range(from, until))
                    .block()
                    .size());
        System.out.printf(
            "first (untimed, JIT-cold) run of each query: %s%n",
            String.join("; ", timer.firstRuns));
        System.out.printf(
            "RSS during the queries (peak): query process %s, embedded engine %s, together %s%n",
            mb(rss.selfPeak.get()),
            mb(rss.enginePeak.get()),
            mb(rss.selfPeak.get() + rss.enginePeak.get()));
      } finally {
        rss.interrupt();
      }
    } finally {
      if (keep == null) {
        deleteRecursively(dataDir);
      }
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static boolean merging(ClickHouseConnection sql) {
    return Long.parseLong(
            scalar(
                sql, "SELECT count() AS n FROM system.merges WHERE database = currentDatabase()"))
        > 0;
  }

  private static String scalar(ClickHouseConnection sql, String query) {
    return sql.query("bench", query, Map.of()).block().getFirst().getString("n");
  }

  private static SeriesSelection sel(long from, long until, LabelMatcher... m) {
    return new SeriesSelection(TENANT, ProfileType.CPU, List.of(m), from, until);
  }

  private static int json(reactor.core.publisher.Mono<? extends JsonWritable> result) {
    JsonWriter w = new JsonWriter();
    result.block().writeJson(w);
    return w.toBytes().length;
  }

  /**
   * Times each query cold (a new {@link QueryEngine}, so no stack or name cache, and the engine's
   * own caches dropped, before each of {@code coldRuns} runs) and warm (one engine, {@code runs}
   * runs after an untimed one), with the CPU time this process and the engine spent per run.
   */
  private static final class Timer {
    private static final List<String> DROPS =
        List.of(
            "SYSTEM DROP MARK CACHE",
            "SYSTEM DROP UNCOMPRESSED CACHE",
            "SYSTEM DROP QUERY CACHE",
            "SYSTEM DROP QUERY CONDITION CACHE",
            "SYSTEM DROP PAGE CACHE",
            "SYSTEM DROP MMAP CACHE",
            "SYSTEM DROP PRIMARY INDEX CACHE",
            "SYSTEM DROP INDEX MARK CACHE",
            "SYSTEM DROP INDEX UNCOMPRESSED CACHE");

    private final ClickHouseProfileStore store;
    private final ClickHouseConnection sql;
    private final RssSampler rss;
    private final int runs;
    private final int coldRuns;
    private final List<String> dropped = new ArrayList<>();

    /** Untimed cold runs before each query's timed ones, which compile its code. */
    private static final int WARM_UP_RUNS = 3;

    /** Per query, its first (untimed) run in this JVM. */
    final List<String> firstRuns = new ArrayList<>();

    Timer(
        ClickHouseProfileStore store,
        ClickHouseConnection sql,
        RssSampler rss,
        int runs,
        int coldRuns) {
      this.store = store;
      this.sql = sql;
      this.rss = rss;
      this.runs = runs;
      this.coldRuns = coldRuns;
      for (String drop : DROPS) {
        try {
          sql.execute("bench", drop).block();
          dropped.add(drop.substring("SYSTEM DROP ".length()).toLowerCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
          // not in this engine version
        }
      }
    }

    String dropped() {
      return String.join(", ", dropped);
    }

    private QueryEngine engine() {
      return new QueryEngine(store.queries(), QueryLimits.defaults().withResultCacheSize(0));
    }

    private void dropCaches() {
      for (String d : dropped) {
        sql.execute("bench", "SYSTEM DROP " + d.toUpperCase(java.util.Locale.ROOT)).block();
      }
    }

    void time(String what, java.util.function.ToIntFunction<QueryEngine> query) {
      // HEARTH_BENCH_ONLY: a regex; only the queries whose name it finds are timed.
      String only = System.getenv("HEARTH_BENCH_ONLY");
      if (only != null && !java.util.regex.Pattern.compile(only).matcher(what).find()) {
        return;
      }
      // The JVM is warmed first (untimed runs on throwaway engines), as a running server's is:
      // cold means empty caches, not code not yet compiled. The first of them is reported.
      double first = 0;
      for (int i = 0; i < WARM_UP_RUNS; i++) {
        QueryEngine q = engine();
        dropCaches();
        double ms = run(q, query, new long[2]);
        first = i == 0 ? ms : first;
      }
      firstRuns.add(String.format("%s %.1f ms", what, first));
      double[] cold = new double[coldRuns];
      long[] coldCpu = new long[2];
      for (int i = 0; i < coldRuns; i++) {
        QueryEngine q = engine();
        dropCaches();
        cold[i] = run(q, query, coldCpu);
      }
      QueryEngine q = engine();
      var unused = query.applyAsInt(q);
      double[] warm = new double[runs];
      long[] warmCpu = new long[2];
      for (int i = 0; i < runs; i++) {
        warm[i] = run(q, query, warmCpu);
      }
      System.out.printf(
          "%-40s %8.1f/%8.1f %8.1f/%8.1f %10.1f/%10.1f %10.1f/%10.1f%n",
          what,
          pct(cold, 0.50),
          pct(cold, 0.95),
          pct(warm, 0.50),
          pct(warm, 0.95),
          coldCpu[0] / 1e6 / coldRuns,
          coldCpu[1] / 1e6 / coldRuns,
          warmCpu[0] / 1e6 / runs,
          warmCpu[1] / 1e6 / runs);
    }

    /** Runs once; adds this process's and the engine's CPU nanoseconds to {@code cpu}. */
    private double run(
        QueryEngine q, java.util.function.ToIntFunction<QueryEngine> query, long[] cpu) {
      long self0 = rss.selfCpu();
      long engine0 = rss.engineCpu();
      long t0 = System.nanoTime();
      var unused = query.applyAsInt(q);
      double ms = (System.nanoTime() - t0) / 1e6;
      cpu[0] += rss.selfCpu() - self0;
      cpu[1] += rss.engineCpu() - engine0;
      return ms;
    }

    private static double pct(double[] t, double p) {
      double[] sorted = t.clone();
      Arrays.sort(sorted);
      return sorted.length == 0 ? 0 : sorted[(int) Math.ceil(p * sorted.length) - 1];
    }
  }

  /**
   * Dictionaries and series through the SPI (one profile per service holding each stack once, at
   * both ends of the range, so both days' dictionary partitions have them), then the sample rows in
   * ClickHouse.
   */
  private static void generate(
      ClickHouseProfileStore store,
      ClickHouseConnection sql,
      int services,
      int stacksPerService,
      int samplesPerProfile,
      long from,
      long until) {
    FleetProfiles gen = new FleetProfiles(42);
    for (int s = 0; s < services; s++) {
      String service = "svc" + s;
      List<Stack> stacks = gen.stacks(service, stacksPerService, 20);
      LabelSet labels = FleetProfiles.labels(service, "host-" + (s % 7));
      List<Sample> once = new ArrayList<>();
      for (Stack stack : stacks) {
        once.add(Sample.of(stack, 10_000_000L, 1));
      }
      List<Profile> seeds = new ArrayList<>();
      for (long t : new long[] {from, until - SECOND}) {
        seeds.add(
            new Profile(
                ProfileType.CPU, labels, t, 10 * SECOND, 10_000_000L, Temporality.DELTA, once));
      }
      store.writer().write(new WriteBatch(TENANT, seeds)).block();

      StringBuilder ids = new StringBuilder("[");
      for (int i = 0; i < stacks.size(); i++) {
        ids.append(i == 0 ? "" : ",").append(stacks.get(i).id());
      }
      ids.append(']');
      long rows = 24L * 360 * samplesPerProfile;
      // Stack popularity is skewed (pow 3): a few stacks carry most samples, as in real profiles.
      String insert =
          """
          INSERT INTO samples (ts, tenant, profile_type, series_id, stack_id, value, count)
          WITH %s AS ids
          SELECT fromUnixTimestamp64Milli(toInt64(%d + intDiv(number, %d) * 10000), 'UTC'),
                 '%s', '%s', %d,
                 ids[1 + toUInt32(floor(pow(randCanonical(), 3) * %d))],
                 toInt64(c) * 10000000, c
          FROM (SELECT number, toUInt32(1 + rand() %% 5) AS c FROM numbers(%d))
          """
              .formatted(
                  ids,
                  from / 1_000_000L,
                  samplesPerProfile,
                  TENANT,
                  ProfileType.CPU.id(),
                  seeds.getFirst().seriesId(),
                  stacks.size(),
                  rows);
      sql.execute("bulk samples", insert).block();
      if ((s + 1) % 10 == 0) {
        System.out.printf("  %d/%d services written%n", s + 1, services);
      }
    }
  }

  private static String mb(long bytes) {
    return String.format("%.0f MB", bytes / 1e6);
  }

  /** Samples the resident set of this process and of the engine every 100 ms. */
  private static final class RssSampler extends Thread {
    volatile long enginePid;
    final AtomicLong selfPeak = new AtomicLong();
    final AtomicLong enginePeak = new AtomicLong();

    RssSampler() {
      setDaemon(true);
    }

    void reset() {
      selfPeak.set(selfNow());
      enginePeak.set(engineNow());
    }

    long selfNow() {
      return rss("self");
    }

    long engineNow() {
      return rss(Long.toString(enginePid));
    }

    @Override
    public void run() {
      while (!isInterrupted()) {
        selfPeak.accumulateAndGet(selfNow(), Math::max);
        enginePeak.accumulateAndGet(engineNow(), Math::max);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /** CPU time of this process, nanoseconds. */
    long selfCpu() {
      return ((com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    /** CPU time (user + system) of the engine, nanoseconds, at the kernel's 100 Hz tick. */
    long engineCpu() {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(enginePid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
      } catch (Exception e) {
        return 0;
      }
    }

    private static long rss(String pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
      } catch (Exception e) {
        // the process is gone or /proc is not Linux's: report 0
      }
      return 0;
    }
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }
}
