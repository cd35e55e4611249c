package dev.hearth.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.pprof.PprofDecoder;
import dev.hearth.model.codec.pprof.PprofEncoder;
import dev.hearth.model.codec.pprof.PprofOptions;
import dev.hearth.model.testing.FleetProfiles;
import dev.hearth.query.flamegraph.Flamegraph;
import dev.hearth.query.testing.FlamegraphPaths;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.WriteBatch;
import dev.hearth.storage.clickhouse.ClickHouseProfileStore;
import dev.hearth.storage.clickhouse.ClickHouseSettings;
import dev.hearth.storage.clickhouse.TestClickHouse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Every query operation against real ClickHouse, with data written through the storage SPI and
 * expected values computed from the written profiles, never by the query code.
 */
class QueryEngineIT {
  static final long SECOND = 1_000_000_000L;
  static final long MINUTE = 60 * SECOND;
  static final long HOUR = 60 * MINUTE;

  private static ClickHouseProfileStore store;
  private static String database;
  private static QueryEngine engine;

  private String tenant;
  private long now;
  private FleetProfiles gen;

  @BeforeAll
  static void open() {
    TestClickHouse ch = TestClickHouse.get();
    database = TestClickHouse.freshDatabase("hearth_q");
    store =
        ClickHouseProfileStore.open(
            ch.endpoint(), ClickHouseSettings.defaults().withDatabase(database), Map::of);
    engine = new QueryEngine(store.queries(), QueryLimits.defaults());
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @BeforeEach
  void freshTenant(TestInfo info) {
    tenant = "q-" + info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
    now =
        Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS).toEpochMilli()
            * 1_000_000L;
    gen = new FleetProfiles(info.getDisplayName().hashCode());
  }

  private void write(List<Profile> profiles) {
    store.writer().write(new WriteBatch(tenant, profiles)).block();
  }

  private SeriesSelection sel(ProfileType type, long from, long until, LabelMatcher... m) {
    return new SeriesSelection(tenant, type, List.of(m), from, until);
  }

  private static Profile profile(ProfileType type, LabelSet labels, long time, Object... stacks) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < stacks.length; i += 3) {
      Stack s = Stack.ofFunctionNamesRootFirst(List.of(((String) stacks[i]).split(";")));
      samples.add(Sample.of(s, (Long) stacks[i + 1], (Long) stacks[i + 2]));
    }
    return new Profile(type, labels, time, 10 * SECOND, 10_000_000L, Temporality.DELTA, samples);
  }

  private static Map<String, long[]> decode(Flamegraph fg) {
    return FlamegraphPaths.decode(fg.names(), fg.levels(), fg.stride());
  }

  @Test
  void flamegraphCarriesEachNamesFrameTypeFromStorage() {
    dev.hearth.model.Location py =
        dev.hearth.model.Location.of(
            null,
            0,
            List.of(
                new dev.hearth.model.Line(
                    dev.hearth.model.Function.of("leaf_work", "leaf_work", "w.py", 6), 8, 0)),
            "python");
    dev.hearth.model.Location nat =
        dev.hearth.model.Location.of(
            dev.hearth.model.Mapping.of("/usr/bin/python3.11"),
            0x1000,
            List.of(new dev.hearth.model.Line(dev.hearth.model.Function.of("main"), 0, 0)),
            "native");
    Stack stack = Stack.of(List.of(py, nat)); // leaf first
    write(
        List.of(
            new Profile(
                ProfileType.CPU,
                FleetProfiles.labels("py", "h1"),
                now,
                10 * SECOND,
                10_000_000L,
                Temporality.DELTA,
                List.of(Sample.of(stack, 30_000_000L, 3)))));
    Flamegraph fg = engine.flamegraph(sel(ProfileType.CPU, now, now + HOUR), 100).block();
    assertThat(fg.frameTypes()).hasSameSizeAs(fg.names());
    assertThat(fg.frameTypes().get(fg.names().indexOf("leaf_work"))).isEqualTo("python");
    assertThat(fg.frameTypes().get(fg.names().indexOf("main"))).isEqualTo("native");
    assertThat(fg.frameTypes().getFirst()).isEmpty();
    assertThat(fg.toJson()).contains("\"frameTypes\":[\"\",\"native\",\"python\"]");
  }

  @Test
  void flamegraphEqualsTheTreeOfTheWrittenProfiles() {
    List<Stack> api = gen.stacks("api", 200, 20);
    List<Stack> web = gen.stacks("web", 100, 15);
    List<Profile> apiProfiles =
        List.of(
            gen.profile(ProfileType.CPU, FleetProfiles.labels("api", "h1"), now, api, 1500),
            gen.profile(
                ProfileType.CPU, FleetProfiles.labels("api", "h2"), now + MINUTE, api, 900));
    Profile webProfile =
        gen.profile(ProfileType.CPU, FleetProfiles.labels("web", "h1"), now + 2 * MINUTE, web, 700);
    write(List.of(apiProfiles.get(0), apiProfiles.get(1), webProfile));

    Flamegraph fg =
        engine
            .flamegraph(
                sel(ProfileType.CPU, now, now + HOUR, LabelMatcher.eq("service_name", "api")),
                100_000)
            .block();
    assertThat(FlamegraphPaths.totalsAndSelf(decode(fg)))
        .isEqualTo(FlamegraphPaths.totalsAndSelf(FlamegraphPaths.expected(apiProfiles)));
    assertThat(fg.truncated()).isFalse();
    assertThat(fg.total()).isEqualTo(apiProfiles.stream().mapToLong(Profile::totalValue).sum());

    Flamegraph all = engine.flamegraph(sel(ProfileType.CPU, now, now + HOUR), 100_000).block();
    List<Profile> everything = new ArrayList<>(apiProfiles);
    everything.add(webProfile);
    assertThat(FlamegraphPaths.totalsAndSelf(decode(all)))
        .isEqualTo(FlamegraphPaths.totalsAndSelf(FlamegraphPaths.expected(everything)));

    Flamegraph small = engine.flamegraph(sel(ProfileType.CPU, now, now + HOUR), 50).block();
    assertThat(small.nodes()).isLessThanOrEqualTo(50);
    assertThat(small.truncated()).isTrue();
    assertThat(small.total()).isEqualTo(all.total());
    FlamegraphPaths.assertLevelsSumToParents(small.levels(), small.stride());
  }

  @Test
  void diffMarksTheRegressionSignificantAndTheNoiseNot() {
    LabelSet labels = LabelSet.of("service_name", "api");
    // 10,000 samples a side. regress: 500 -> 1500 samples (5% -> 15%); noisy: 3 -> 5 samples.
    Profile left =
        profile(
            ProfileType.CPU,
            labels,
            now,
            "main;work;regress",
            500 * 10_000_000L,
            500L,
            "main;work;steady",
            6000 * 10_000_000L,
            6000L,
            "main;noisy",
            3 * 10_000_000L,
            3L,
            "main;idle",
            3497 * 10_000_000L,
            3497L);
    Profile right =
        profile(
            ProfileType.CPU,
            labels,
            now + HOUR,
            "main;work;regress",
            1500 * 10_000_000L,
            1500L,
            "main;work;steady",
            6000 * 10_000_000L,
            6000L,
            "main;noisy",
            5 * 10_000_000L,
            5L,
            "main;idle",
            2495 * 10_000_000L,
            2495L);
    write(List.of(left, right));

    Flamegraph fg =
        engine
            .diff(
                sel(ProfileType.CPU, now, now + HOUR),
                sel(ProfileType.CPU, now + HOUR, now + 2 * HOUR),
                8192)
            .block();
    assertThat(fg.kind()).isEqualTo("diff");
    assertThat(fg.leftTotal()).isEqualTo(left.totalValue());
    assertThat(fg.rightTotal()).isEqualTo(right.totalValue());
    assertThat(fg.leftCount()).isEqualTo(10_000);
    assertThat(fg.rightCount()).isEqualTo(10_000);
    Map<String, long[]> nodes = decode(fg);
    long[] regress = nodes.get("main;work;regress");
    assertThat(regress[0]).isEqualTo(2000 * 10_000_000L);
    assertThat(regress[2]).isEqualTo(500 * 10_000_000L);
    // The expected z-scores, from the counts written, by the spec's formula.
    assertThat(regress[4]).isEqualTo(Math.round(1000 * z(500, 10_000, 1500, 10_000)));
    assertThat(regress[4]).isGreaterThan(1960);
    long[] noisy = nodes.get("main;noisy");
    assertThat(noisy[4]).isEqualTo(Math.round(1000 * z(3, 10_000, 5, 10_000)));
    assertThat(Math.abs(noisy[4])).isLessThan(1960);
    assertThat(nodes.get("main;work")[4])
        .isEqualTo(Math.round(1000 * z(6500, 10_000, 7500, 10_000)));
    assertThat(nodes.get("")[4]).isZero();

    assertThatThrownBy(
            () ->
                engine
                    .diff(
                        sel(ProfileType.CPU, now, now + HOUR),
                        sel(ProfileType.OFF_CPU, now, now + HOUR),
                        8192)
                    .block())
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("rightQuery");
  }

  static double z(double c1, double n1, double c2, double n2) {
    double p = (c1 + c2) / (n1 + n2);
    return (c2 / n2 - c1 / n1) / Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  }

  @Test
  void seriesGroupsStepsAndAveragesGauges() {
    List<Stack> stacks = gen.stacks("api", 30, 8);
    List<Profile> profiles = new ArrayList<>();
    for (int m = 0; m < 5; m++) {
      for (String host : List.of("h1", "h2", "h3")) {
        profiles.add(
            gen.profile(
                ProfileType.CPU,
                FleetProfiles.labels("api", host),
                now + m * MINUTE + 7 * SECOND,
                stacks,
                host.equals("h3") ? 10 : 100));
      }
    }
    write(profiles);
    SeriesResult r =
        engine
            .series(sel(ProfileType.CPU, now, now + 5 * MINUTE), MINUTE, List.of("host_name"), 2)
            .block();
    assertThat(r.stepNanos()).isEqualTo(MINUTE);
    assertThat(r.omittedGroups()).isEqualTo(1);
    Map<String, Map<Long, Long>> expected = new HashMap<>();
    for (Profile p : profiles) {
      expected
          .computeIfAbsent(p.labels().get("host_name"), k -> new HashMap<>())
          .merge((p.timeNanos() / MINUTE) * MINUTE / 1_000_000L, p.totalValue(), Long::sum);
    }
    assertThat(r.series()).hasSize(2);
    for (SeriesResult.Series s : r.series()) {
      Map<Long, Long> got = new HashMap<>();
      for (int i = 0; i < s.values().length; i++) {
        got.put(s.timestampsMillis()[i], s.values()[i]);
      }
      assertThat(got).isEqualTo(expected.get(s.labels().get("host_name")));
    }
    assertThat(r.series().getFirst().total()).isGreaterThanOrEqualTo(r.series().get(1).total());

    // Automatic step over an hour: 30 s; a gauge averages its profiles.
    Stack s = Stack.ofFunctionNamesRootFirst(List.of("main", "cache"));
    LabelSet labels = LabelSet.of("service_name", "api");
    List<Profile> gauges = new ArrayList<>();
    for (long v : new long[] {100, 200, 600}) {
      gauges.add(
          new Profile(
              ProfileType.INUSE_SPACE,
              labels,
              now + v * 10_000_000L,
              0,
              0,
              Temporality.DELTA,
              List.of(Sample.of(s, v, 1))));
    }
    write(gauges);
    SeriesResult g =
        engine.series(sel(ProfileType.INUSE_SPACE, now, now + HOUR), HOUR, List.of(), 10).block();
    assertThat(g.series().getFirst().values()).containsExactly(300);
    assertThat(
            engine
                .series(sel(ProfileType.CPU, now, now + HOUR), null, List.of(), 10)
                .block()
                .stepNanos())
        .isEqualTo(30 * SECOND);
  }

  @Test
  void topSandwichFoldedAndPprofAgreeWithTheWrittenSamples() throws Exception {
    LabelSet labels = LabelSet.of("service_name", "api");
    Profile p =
        profile(
            ProfileType.CPU,
            labels,
            now,
            "main;handle;parse;alloc",
            400L,
            4L,
            "main;handle;parse",
            300L,
            3L,
            "main;handle;render",
            200L,
            2L,
            "main;gc;alloc",
            100L,
            1L,
            "main;handle;handle",
            50L,
            1L);
    write(List.of(p));
    SeriesSelection all = sel(ProfileType.CPU, now, now + HOUR);

    TopResult bySelf = engine.top(all, 10, false).block();
    assertThat(bySelf.total()).isEqualTo(1050);
    assertThat(bySelf.functions())
        .containsExactly(
            new TopResult.FunctionValue("alloc", 500, 500),
            new TopResult.FunctionValue("parse", 300, 700),
            new TopResult.FunctionValue("render", 200, 200),
            new TopResult.FunctionValue("handle", 50, 950),
            new TopResult.FunctionValue("main", 0, 1050),
            new TopResult.FunctionValue("gc", 0, 100));
    assertThat(engine.top(all, 2, true).block().functions())
        .extracting(TopResult.FunctionValue::name)
        .containsExactly("main", "handle");

    SandwichResult sw = engine.sandwich(all, "alloc", 8192).block();
    assertThat(FlamegraphPaths.totalsAndSelf(decode(sw.callers())))
        .isEqualTo(
            Map.of(
                "", List.of(500L, 0L),
                "alloc", List.of(500L, 0L),
                "alloc;parse", List.of(400L, 0L),
                "alloc;parse;handle", List.of(400L, 0L),
                "alloc;parse;handle;main", List.of(400L, 400L),
                "alloc;gc", List.of(100L, 0L),
                "alloc;gc;main", List.of(100L, 100L)));
    SandwichResult handle = engine.sandwich(all, "handle", 8192).block();
    assertThat(FlamegraphPaths.totalsAndSelf(decode(handle.callees())))
        .isEqualTo(
            Map.of(
                "", List.of(950L, 0L),
                "handle", List.of(950L, 0L),
                "handle;parse", List.of(700L, 300L),
                "handle;parse;alloc", List.of(400L, 400L),
                "handle;render", List.of(200L, 200L),
                "handle;handle", List.of(50L, 50L)));

    String folded = new String(engine.folded(all).block(), StandardCharsets.UTF_8);
    assertThat(Set.of(folded.strip().split("\n")))
        .isEqualTo(
            Set.of(
                "main;handle;parse;alloc 400",
                "main;handle;parse 300",
                "main;handle;render 200",
                "main;gc;alloc 100",
                "main;handle;handle 50"));

    byte[] pprof = engine.pprof(all).block();
    assertThat(pprof[0]).isEqualTo((byte) 0x1f);
    List<Profile> back = PprofDecoder.decode(pprof, PprofOptions.defaults());
    Profile cpu =
        back.stream().filter(x -> x.type().sampleType().equals("cpu")).findFirst().orElseThrow();
    assertThat(FlamegraphPaths.totalsAndSelf(FlamegraphPaths.expected(List.of(cpu))))
        .isEqualTo(FlamegraphPaths.totalsAndSelf(FlamegraphPaths.expected(List.of(p))));
  }

  @Test
  void labelsTypesAndTenantIsolation() {
    List<Stack> stacks = gen.stacks("api", 20, 5);
    write(
        List.of(
            gen.profile(ProfileType.CPU, FleetProfiles.labels("api", "h1"), now, stacks, 50),
            gen.profile(
                ProfileType.ALLOC_SPACE, FleetProfiles.labels("web", "h2"), now, stacks, 50)));
    QueryParams.Range range = new QueryParams.Range(now, now + HOUR);
    assertThat(engine.profileTypes(tenant, range).block())
        .containsExactly(ProfileType.ALLOC_SPACE, ProfileType.CPU);
    assertThat(engine.labelNames(tenant, Selector.EMPTY, range).block())
        .containsExactly("host_name", "service_name");
    assertThat(
            engine
                .labelValues(
                    tenant,
                    "service_name",
                    SelectorParser.parse("query", "{host_name=~\"h[12]\"}"),
                    range)
                .block())
        .containsExactly("api", "web");
    assertThat(
            engine
                .labelValues(
                    tenant, "host_name", SelectorParser.parse("query", ProfileType.CPU.id()), range)
                .block())
        .containsExactly("h1");

    String stranger = tenant + "-x";
    assertThat(engine.profileTypes(stranger, range).block()).isEmpty();
    Flamegraph none =
        engine
            .flamegraph(
                new SeriesSelection(stranger, ProfileType.CPU, List.of(), now, now + HOUR), 100)
            .block();
    assertThat(none.total()).isZero();
    assertThat(none.levels()).hasSize(1);
  }

  @Test
  void correlateFindsTheFunctionWhoseCpuFollowsItsIo() {
    LabelSet labels = LabelSet.of("service_name", "db");
    Random random = new Random(7);
    List<Profile> profiles = new ArrayList<>();
    int steps = 30;
    for (int i = 0; i < steps; i++) {
      long t = now + i * MINUTE + SECOND;
      long load = 10 + (long) (50 * (1 + Math.sin(i / 3.0))); // the pattern db.query follows
      profiles.add(
          profile(
              ProfileType.CPU,
              labels,
              t,
              "main;db.query;socket.read",
              load * 1000,
              load,
              "main;json.encode",
              (100 + random.nextInt(100)) * 1000L,
              10L,
              "main;idle",
              5_000L,
              5L));
      profiles.add(
          profile(
              ProfileType.BLOCK_IO_BYTES,
              labels,
              t,
              "main;db.query;socket.read",
              load * 4096,
              load,
              "main;log.flush",
              40_000L + random.nextInt(1000),
              3L));
      profiles.add(
          profile(
              ProfileType.ALLOC_SPACE,
              labels,
              t,
              "main;json.encode",
              (1000 + random.nextInt(1000)) * 64L,
              5L,
              "main;db.query",
              100L,
              1L));
    }
    write(profiles);
    QueryParams.Range range = new QueryParams.Range(now, now + steps * MINUTE);
    CorrelateResult r =
        engine
            .correlate(tenant, List.of(LabelMatcher.eq("service_name", "db")), range, MINUTE, 3)
            .block();
    assertThat(r.stepNanos()).isEqualTo(MINUTE);
    Map<String, CorrelateResult.CorrelatedFunction> byName = new HashMap<>();
    r.functions().forEach(f -> byName.put(f.name(), f));
    // main is hot everywhere; db.query in cpu, io and alloc; json.encode in cpu and alloc.
    assertThat(byName.keySet()).contains("db.query", "json.encode", "main");
    assertThat(byName).doesNotContainKey("log.flush");

    // Shares computed from the written profiles.
    Map<ProfileType, Map<String, Long>> totals = new HashMap<>();
    Map<ProfileType, Long> grand = new HashMap<>();
    for (Profile p : profiles) {
      grand.merge(p.type(), p.totalValue(), Long::sum);
      for (Sample s : p.samples()) {
        for (String n : new HashSet<>(s.stack().functionNamesRootFirst())) {
          totals.computeIfAbsent(p.type(), k -> new HashMap<>()).merge(n, s.value(), Long::sum);
        }
      }
    }
    CorrelateResult.CorrelatedFunction db = byName.get("db.query");
    assertThat(db.shares().get("cpu"))
        .isCloseTo(
            (double) totals.get(ProfileType.CPU).get("db.query") / grand.get(ProfileType.CPU),
            within(1e-9));
    assertThat(db.shares().get("io"))
        .isCloseTo(
            (double) totals.get(ProfileType.BLOCK_IO_BYTES).get("db.query")
                / grand.get(ProfileType.BLOCK_IO_BYTES),
            within(1e-9));
    assertThat(db.hotIn()).contains("cpu", "io");
    assertThat(r.functions()).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));

    // db.query's CPU follows its IO exactly; json.encode's CPU and allocations are independent.
    assertThat(correlation(db, "cpu", "io", "function")).isGreaterThan(0.99);
    CorrelateResult.CorrelatedFunction json = byName.get("json.encode");
    assertThat(Math.abs(correlation(json, "cpu", "alloc", "function"))).isLessThan(0.5);
    assertThat(correlation(db, "io", "io", "total")).isGreaterThan(0.99);
  }

  private static double correlation(
      CorrelateResult.CorrelatedFunction f, String category, String with, String kind) {
    return f.correlations().stream()
        .filter(
            c -> c.category().equals(category) && c.with().equals(with) && c.kind().equals(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError(f.name() + " has no " + category + "~" + with))
        .r();
  }

  @Test
  void renderDrawsAnUploadedPprofWithoutStoringIt() {
    List<Stack> stacks = gen.stacks("up", 50, 10);
    Profile p = gen.profile(ProfileType.CPU, LabelSet.EMPTY, now, stacks, 300);
    byte[] file = PprofEncoder.encodeGzip(List.of(p));
    Flamegraph fg = engine.render(file, "", ProfileType.CPU.id(), 8192);
    assertThat(FlamegraphPaths.totalsAndSelf(decode(fg)))
        .isEqualTo(FlamegraphPaths.totalsAndSelf(FlamegraphPaths.expected(List.of(p))));
    Flamegraph folded =
        engine.render("a;b 3\na;c 4\n".getBytes(StandardCharsets.UTF_8), "folded", null, 8192);
    assertThat(FlamegraphPaths.totalsAndSelf(decode(folded)))
        .isEqualTo(
            Map.of(
                "", List.of(7L, 0L),
                "a", List.of(7L, 0L),
                "a;b", List.of(3L, 3L),
                "a;c", List.of(4L, 4L)));
    assertThat(engine.profileTypes(tenant, new QueryParams.Range(now - HOUR, now + HOUR)).block())
        .isEmpty();
    assertThatThrownBy(() -> engine.render(new byte[] {1, 2, 3}, "pprof", null, 8192))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("not a valid pprof");
  }

  @Test
  void limitsFailWithAClearMessageAndClosedRangesAreCached() {
    List<Stack> stacks = gen.stacks("api", 100, 6);
    Profile p = gen.profile(ProfileType.CPU, FleetProfiles.labels("api", "h1"), now, stacks, 500);
    write(List.of(p));
    QueryEngine tight = new QueryEngine(store.queries(), QueryLimits.defaults().withMaxStacks(10));
    assertThatThrownBy(() -> tight.flamegraph(sel(ProfileType.CPU, now, now + HOUR), 100).block())
        .isInstanceOf(QueryLimitException.class)
        .hasMessageContaining("more than 10 distinct stacks")
        .hasMessageContaining("hearth.query.max-stacks");
    try (ClickHouseProfileStore capped =
        ClickHouseProfileStore.open(
            TestClickHouse.get().endpoint(),
            ClickHouseSettings.defaults().withDatabase(database).withMaxRowsToRead(10),
            Map::of)) {
      QueryEngine few = new QueryEngine(capped.queries(), QueryLimits.defaults());
      assertThatThrownBy(() -> few.flamegraph(sel(ProfileType.CPU, now, now + HOUR), 100).block())
          .isInstanceOf(QueryLimitException.class)
          .hasMessageContaining("more than 10 rows")
          .hasMessageContaining("hearth.query.max-rows-to-read");
    }
    assertThatThrownBy(() -> QueryParams.maxNodes("1000000", QueryLimits.defaults()))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("hearth.query.max-nodes");

    // The range closed hours ago: a second identical query is answered from the cache, even
    // though more data arrived meanwhile (as it may not in practice once a range is closed).
    Flamegraph first = engine.flamegraph(sel(ProfileType.CPU, now, now + HOUR), 8192).block();
    write(List.of(p));
    Flamegraph second = engine.flamegraph(sel(ProfileType.CPU, now, now + HOUR), 8192).block();
    assertThat(second).isSameAs(first);
    QueryEngine uncached =
        new QueryEngine(store.queries(), QueryLimits.defaults().withResultCacheSize(0));
    assertThat(uncached.flamegraph(sel(ProfileType.CPU, now, now + HOUR), 8192).block().total())
        .isEqualTo(2 * first.total());
  }
}
