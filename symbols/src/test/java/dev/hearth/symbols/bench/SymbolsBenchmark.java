package dev.hearth.symbols.bench;

import dev.hearth.model.LabelSet;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.query.FrameSymbolizer;
import dev.hearth.query.QueryEngine;
import dev.hearth.query.QueryLimits;
import dev.hearth.query.flamegraph.Flamegraph;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.SymbolStore;
import dev.hearth.storage.WriteBatch;
import dev.hearth.storage.clickhouse.ClickHouseEndpoint;
import dev.hearth.storage.clickhouse.ClickHouseProfileStore;
import dev.hearth.storage.clickhouse.ClickHouseSettings;
import dev.hearth.storage.embedded.EmbeddedClickHouse;
import dev.hearth.symbols.DebugDirectories;
import dev.hearth.symbols.LlvmSymbolizer;
import dev.hearth.symbols.Symbolizer;
import dev.hearth.symbols.SymbolsListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * What server-side symbolisation costs. A generated C program with {@code functions} functions is
 * built with {@code gcc -g} and split into a stripped binary and a debug file; a profile of 10,000
 * distinct unsymbolised frames of it (1,000 stacks of depth 10) is written to the embedded
 * ClickHouse. Printed, each as the median of {@code runs} rounds:
 *
 * <ul>
 *   <li>symbolisation throughput in frames/s: cold (a new server: llvm-symbolizer started, the
 *       debug file read, DWARF parsed), from the stored frames (a restarted server: ClickHouse, no
 *       symboliser), and cached (memory);
 *   <li>flamegraph latency of the profile: without symbolisation (the baseline), cold, from the
 *       stored frames, and cached.
 * </ul>
 *
 * <p>Run with {@code scripts/bench-symbols.sh [functions runs]} (defaults {@code 2500 7}).
 */
public final class SymbolsBenchmark {
  private static final String TENANT = "bench";
  private static final long SECOND = 1_000_000_000L;
  private static final int FRAMES = 10_000;
  private static final int DEPTH = 10;

  public static void main(String[] args) throws Exception {
    int functions = args.length > 0 ? Integer.parseInt(args[0]) : 2500;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    Path dir = Files.createTempDirectory("hearth-symbols-bench-");
    Program program = Program.build(dir, functions);
    System.out.printf(
        "program: %d functions, debug file %,d bytes; profile: %,d distinct frames in %,d stacks of"
            + " depth %d%n",
        functions, Files.size(program.debug), FRAMES, FRAMES / DEPTH, DEPTH);
    String command = LlvmSymbolizer.locate("llvm-symbolizer");
    if (command == null) {
      throw new IllegalStateException("llvm-symbolizer not found: apt-get install llvm");
    }
    Path tree = dir.resolve("tree");
    Path inTree =
        tree.resolve(
            ".build-id/"
                + program.buildId.substring(0, 2)
                + "/"
                + program.buildId.substring(2)
                + ".debug");
    Files.createDirectories(inTree.getParent());
    Files.copy(program.debug, inTree);

    Mapping mapping = Mapping.of("/opt/bench/program", program.buildId, "gnu");
    List<Location> frames = new ArrayList<>(FRAMES);
    for (long address : program.addresses(FRAMES)) {
      frames.add(Location.unsymbolized(mapping, address, "native"));
    }
    long t = (System.currentTimeMillis() / 60_000L - 120) * 60_000L * 1_000_000L;
    List<Sample> samples = new ArrayList<>();
    for (int s = 0; s < FRAMES / DEPTH; s++) {
      samples.add(Sample.of(Stack.of(frames.subList(s * DEPTH, (s + 1) * DEPTH)), 10_000_000L, 1));
    }
    Profile profile =
        new Profile(
            ProfileType.CPU,
            LabelSet.of("service_name", "stripped"),
            t,
            10 * SECOND,
            10_000_000L,
            Temporality.DELTA,
            samples);
    SeriesSelection selection =
        new SeriesSelection(TENANT, ProfileType.CPU, List.of(), t - 60 * SECOND, t + 60 * SECOND);

    try (EmbeddedClickHouse engine = new EmbeddedClickHouse(dir.resolve("data")).start();
        ClickHouseProfileStore store =
            ClickHouseProfileStore.open(
                new ClickHouseEndpoint(
                    engine.httpUrl().toString(), engine.user(), engine.password()),
                ClickHouseSettings.defaults(),
                Map::of)) {
      store.writer().write(new WriteBatch(TENANT, List.of(profile))).block();

      double[] cold = new double[runs];
      double[] stored = new double[runs];
      double[] cached = new double[runs];
      double[] qBase = new double[runs];
      double[] qBaseWarm = new double[runs];
      double[] qBaseLater = new double[runs];
      double[] qCold = new double[runs];
      double[] qStored = new double[runs];
      double[] qCached = new double[runs];
      double[] qLater = new double[runs];
      int named = 0;
      for (int r = 0; r < runs; r++) {
        // A new server with symbols in a local directory and an empty frame store.
        SymbolStore perRound = store.symbols();
        String tenant = TENANT;
        try (Symbolizer s = symbolizer(tree, command, perRound)) {
          long t0 = System.nanoTime();
          Map<Location, List<Line>> out = s.symbolize(tenant + r, frames).block();
          cold[r] = FRAMES / seconds(t0);
          named = out.size();
          long t1 = System.nanoTime();
          s.symbolize(tenant + r, frames).block();
          cached[r] = FRAMES / seconds(t1);
        }
        // A restarted server: nothing in memory, no symboliser, the frames in ClickHouse.
        try (Symbolizer s =
            new Symbolizer(List.of(), null, perRound, SymbolsListener.NONE, settings())) {
          long t0 = System.nanoTime();
          s.symbolize(tenant + r, frames).block();
          stored[r] = FRAMES / seconds(t0);
        }
        // Query latency, each with a fresh engine (its stack cache cold, as the first query).
        QueryEngine plain = engine(store, FrameSymbolizer.NONE);
        qBase[r] = ms(() -> plain.flamegraph(selection, 8192).block());
        qBaseWarm[r] = ms(() -> plain.flamegraph(selection, 8192).block());
        qBaseLater[r] = ms(() -> plain.flamegraph(selection, 8192).block());
        try (Symbolizer s = symbolizer(tree, command, SymbolStore.NONE)) {
          QueryEngine q = engine(store, adapter(s));
          qCold[r] = ms(() -> q.flamegraph(selection, 8192).block());
          qCached[r] = ms(() -> q.flamegraph(selection, 8192).block());
          qLater[r] = ms(() -> q.flamegraph(selection, 8192).block());
        }
        try (Symbolizer s =
            new Symbolizer(List.of(), null, store.symbols(), SymbolsListener.NONE, settings())) {
          // frames of TENANT were stored by the rounds above under tenant names "bench<r>": store
          // this tenant's once, then read them as a restarted server would
          if (r == 0) {
            try (Symbolizer w = symbolizer(tree, command, store.symbols())) {
              w.symbolize(TENANT, frames).block();
            }
          }
          qStored[r] = ms(() -> engine(store, adapter(s)).flamegraph(selection, 8192).block());
        }
      }
      Flamegraph before = engine(store, FrameSymbolizer.NONE).flamegraph(selection, 8192).block();
      Flamegraph after;
      try (Symbolizer s = symbolizer(tree, command, SymbolStore.NONE)) {
        after = engine(store, adapter(s)).flamegraph(selection, 8192).block();
      }
      System.out.printf(
          "named %,d of %,d frames; flamegraph names of the form file+0xoffset: %d of %d without"
              + " symbolisation, %d of %d with%n",
          named,
          FRAMES,
          unnamed(before),
          before.names().size(),
          unnamed(after),
          after.names().size());
      System.out.printf("%-46s %12s%n", "symbolisation, 10,000 distinct frames", "frames/s");
      System.out.printf("%-46s %,12.0f%n", "cold (llvm-symbolizer, new process)", median(cold));
      System.out.printf("%-46s %,12.0f%n", "stored (restarted server, ClickHouse)", median(stored));
      System.out.printf("%-46s %,12.0f%n", "cached (memory)", median(cached));
      System.out.printf("%-46s %12s%n", "flamegraph of the 10,000-frame profile, ms", "");
      System.out.printf("%-46s %12s %12s %12s%n", "", "1st query", "2nd", "3rd");
      System.out.printf(
          "%-46s %12.1f %12.1f %12.1f%n",
          "no symbolisation (baseline)", median(qBase), median(qBaseWarm), median(qBaseLater));
      System.out.printf(
          "%-46s %12.1f %12.1f %12.1f%n",
          "cold symbolisation, then cached", median(qCold), median(qCached), median(qLater));
      System.out.printf("%-46s %12.1f%n", "stored frames (after a restart)", median(qStored));
    }
  }

  private static long unnamed(Flamegraph f) {
    return f.names().stream().filter(n -> n.contains("+0x")).count();
  }

  private static Symbolizer.Settings settings() {
    return new Symbolizer.Settings(
        Duration.ofSeconds(120), 1_000_000, Duration.ofMinutes(5), Duration.ofSeconds(60), 2);
  }

  private static Symbolizer symbolizer(Path tree, String command, SymbolStore store) {
    return new Symbolizer(
        List.of(new DebugDirectories(List.of(tree), Duration.ofMinutes(1))),
        new LlvmSymbolizer(command, Duration.ofSeconds(60)),
        store,
        SymbolsListener.NONE,
        settings());
  }

  private static FrameSymbolizer adapter(Symbolizer s) {
    return new FrameSymbolizer() {
      @Override
      public Mono<Map<Location, List<Line>>> symbolize(String tenant, Collection<Location> f) {
        return s.symbolize(tenant, f);
      }

      @Override
      public long generation() {
        return s.generation();
      }
    };
  }

  private static QueryEngine engine(ClickHouseProfileStore store, FrameSymbolizer symbols) {
    LongSupplier now = () -> System.currentTimeMillis() * 1_000_000L;
    return new QueryEngine(
        store.queries(), QueryLimits.defaults().withResultCacheSize(0), now, symbols);
  }

  private static double ms(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  /** The generated program: functions f0…fN-1, each a loop with a call, so each spans bytes. */
  private record Program(Path debug, String buildId, long[] starts, long[] sizes) {
    static Program build(Path dir, int functions) throws IOException, InterruptedException {
      StringBuilder c = new StringBuilder("volatile unsigned long sink;\n");
      for (int i = 0; i < functions; i++) {
        c.append("__attribute__((noinline)) void f")
            .append(i)
            .append("(unsigned long n) { for (unsigned long i = 0; i < n; i++) sink += i * ")
            .append(i + 3)
            .append("; ")
            .append(i > 0 ? "f" + (i - 1) + "(n / 2);" : "")
            .append(" sink ^= n; }\n");
      }
      c.append("int main(void) { f").append(functions - 1).append("(3); return 0; }\n");
      Path source = dir.resolve("program.c");
      Files.writeString(source, c.toString());
      Path binary = dir.resolve("program");
      run("gcc", "-g", "-O1", "-o", binary.toString(), source.toString());
      Path debug = dir.resolve("program.debug");
      run("objcopy", "--only-keep-debug", binary.toString(), debug.toString());
      Matcher m =
          Pattern.compile("Build ID: ([0-9a-f]+)").matcher(run("readelf", "-n", binary.toString()));
      if (!m.find()) {
        throw new IllegalStateException("no build id");
      }
      long[] starts = new long[functions];
      long[] sizes = new long[functions];
      for (String line : run("nm", "-S", binary.toString()).split("\n")) {
        String[] cols = line.trim().split("\\s+");
        if (cols.length == 4 && cols[3].matches("f[0-9]+")) {
          int i = Integer.parseInt(cols[3].substring(1));
          starts[i] = Long.parseLong(cols[0], 16);
          sizes[i] = Long.parseLong(cols[1], 16);
        }
      }
      return new Program(debug, m.group(1), starts, sizes);
    }

    /** {@code n} distinct addresses spread over the functions' bytes. */
    long[] addresses(int n) {
      long[] out = new long[n];
      int per = (n + starts.length - 1) / starts.length;
      int k = 0;
      for (int f = 0; f < starts.length && k < n; f++) {
        for (int j = 0; j < per && k < n; j++) {
          out[k++] = starts[f] + (sizes[f] * j) / per;
        }
      }
      return out;
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
