package dev.hearth.model.bench;

import dev.hearth.model.Function;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import dev.hearth.model.codec.Fixtures;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.otlp.OtlpDecoder;
import dev.hearth.model.codec.otlp.OtlpEncoder;
import dev.hearth.model.codec.pprof.PprofDecoder;
import dev.hearth.model.codec.pprof.PprofEncoder;
import dev.hearth.model.codec.pprof.PprofOptions;
import dev.hearth.model.testing.FleetProfiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prints decode throughput (profiles/s, samples/s) for realistic pprof and OTLP payloads and the
 * cost of content-hashing a stack. Each figure is the median of 7 timed rounds after warm-up. Run
 * with {@code scripts/bench-model.sh}.
 */
public final class CodecBenchmark {
  private static final int ROUNDS = 7;
  private static final double ROUND_SECONDS = 1.0;

  @FunctionalInterface
  interface Work {
    long run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    FleetProfiles gen = new FleetProfiles(7);
    // An agent's 10-second CPU profile of a busy service: 3,000 samples over 1,500 distinct stacks
    // of depth 30, inlined and unsymbolised frames included, as an OTLP or pprof producer sends it.
    List<Stack> stacks = gen.stacks("checkout", 1500, 30);
    Profile agent =
        gen.profile(
                ProfileType.CPU,
                FleetProfiles.labels("checkout", "web-1"),
                System.currentTimeMillis() * 1_000_000L,
                stacks,
                3000)
            .merged();
    byte[] pprofGz = PprofEncoder.encodeGzip(List.of(agent));
    byte[] otlp = OtlpEncoder.toBytes(List.of(agent));
    byte[] otlpGz = Gzip.gzip(otlp);
    byte[] goCpu = Fixtures.bytes("go-cpu.pb.gz");
    long maxBytes = PprofOptions.DEFAULT_MAX_DECOMPRESSED_BYTES;
    int agentSamples = agent.samples().size();
    int goSamples = PprofDecoder.decode(goCpu, PprofOptions.defaults()).get(1).samples().size();

    System.out.printf(
        "payloads: synthetic agent profile %d samples / %d stacks: pprof.gz %d B, OTLP %d B, OTLP.gz %d B; Go runtime/pprof fixture %d B, %d sample rows%n",
        agentSamples,
        stacks.size(),
        pprofGz.length,
        otlp.length,
        otlpGz.length,
        goCpu.length,
        goSamples);
    decode(
        "pprof.gz  (synthetic agent)",
        agentSamples,
        () -> PprofDecoder.decode(pprofGz, PprofOptions.defaults()).size());
    decode(
        "OTLP      (synthetic agent)",
        agentSamples,
        () -> OtlpDecoder.decode(otlp, maxBytes).size());
    decode(
        "OTLP.gz   (synthetic agent)",
        agentSamples,
        () -> OtlpDecoder.decode(otlpGz, maxBytes).size());
    decode(
        "pprof.gz  (real Go CPU)",
        goSamples,
        () -> PprofDecoder.decode(goCpu, PprofOptions.defaults()).size());

    // Hashing: a stack id over 30 known location ids, and a whole stack built from names.
    List<Location> leafFirst = stacks.getFirst().locations();
    double stackNanos = perOpNanos(() -> Stack.of(leafFirst).id());
    Mapping binary = Mapping.of("/opt/checkout/bin/checkout", "b1d", "gnu");
    int[] seq = {0};
    double fullNanos =
        perOpNanos(
            () -> {
              int n = seq[0]++;
              List<Location> frames = new ArrayList<>(30);
              for (int d = 0; d < 30; d++) {
                Function f = Function.of("checkout.fn" + ((n + d) & 1023), "", "checkout/x.go", d);
                frames.add(Location.of(binary, 0x1000 + d, List.of(Line.of(f, d)), "native"));
              }
              return Stack.of(frames).id();
            });
    System.out.printf(
        "hashing: stack id over 30 location ids %.0f ns/stack; stack of 30 new frames (30 functions + 30 locations + stack) %.0f ns/stack (%.0f ns/frame)%n",
        stackNanos, fullNanos, fullNanos / 30);
    System.out.printf(
        "series id of 2 labels: %.0f ns%n",
        perOpNanos(
            () ->
                dev.hearth.model.Ids.seriesId(
                    ProfileType.CPU,
                    LabelSet.of("service_name", "checkout", "host_name", "web-1"))));
  }

  private static void decode(String name, int samplesPerProfile, Work work) throws Exception {
    double profilesPerSecond = median(work);
    System.out.printf(
        "decode %-28s %9.0f profiles/s  %,12.0f samples/s%n",
        name, profilesPerSecond, profilesPerSecond * samplesPerProfile);
  }

  /** Median operations per second over the timed rounds. */
  private static double median(Work work) throws Exception {
    long sink = 0;
    long warmUntil = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < warmUntil) {
      sink += work.run();
    }
    double[] rates = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      long ops = 0;
      long start = System.nanoTime();
      long end = start + (long) (ROUND_SECONDS * 1e9);
      long now;
      do {
        sink += work.run();
        ops++;
        now = System.nanoTime();
      } while (now < end);
      rates[r] = ops / ((now - start) / 1e9);
    }
    if (sink == 42) {
      System.out.print("");
    }
    Arrays.sort(rates);
    return rates[ROUNDS / 2];
  }

  private static double perOpNanos(Work work) throws Exception {
    return 1e9 / median(work);
  }
}
