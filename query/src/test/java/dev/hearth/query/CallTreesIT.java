package dev.hearth.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Function;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.Fixtures;
import dev.hearth.model.codec.folded.FoldedCodec;
import dev.hearth.model.codec.jfr.JfrDecoder;
import dev.hearth.model.codec.jfr.JfrOptions;
import dev.hearth.model.codec.pprof.PprofDecoder;
import dev.hearth.model.codec.pprof.PprofOptions;
import dev.hearth.model.testing.FleetProfiles;
import dev.hearth.query.flamegraph.CallTree;
import dev.hearth.query.flamegraph.Flamegraph;
import dev.hearth.query.flamegraph.FlamegraphEncoder;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.WriteBatch;
import dev.hearth.storage.clickhouse.ClickHouseProfileStore;
import dev.hearth.storage.clickhouse.ClickHouseSettings;
import dev.hearth.storage.clickhouse.TestClickHouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The flamegraph builder over ids and the names table ({@link CallTrees}) against the reference
 * builder over resolved stacks ({@link QueryEngine#merge} + {@link Analyses#addToTree}), on the
 * shared fixtures (the real Go, JFR and perf profiles in {@code model}'s {@code fixtures/}, the
 * wire-format fixtures the web UI reads) and on generated fleet stacks with inlined and
 * unsymbolised frames, named at query time: the JSON of both, names, values, counts and frame types
 * included, must be identical, whole and truncated.
 */
class CallTreesIT {
  private static final long SECOND = 1_000_000_000L;
  private static final long HOUR = 3600 * SECOND;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ClickHouseProfileStore store;
  private static long now;

  @BeforeAll
  static void open() {
    store =
        ClickHouseProfileStore.open(
            TestClickHouse.get().endpoint(),
            ClickHouseSettings.defaults().withDatabase(TestClickHouse.freshDatabase("hearth_ct")),
            Map::of);
    now =
        Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS).toEpochMilli()
            * 1_000_000L;
  }

  @AfterAll
  static void close() {
    store.close();
  }

  private static QueryEngine engine(FrameSymbolizer symbolizer) {
    return new QueryEngine(
        store.queries(), QueryLimits.defaults().withResultCacheSize(0), () -> now, symbolizer);
  }

  /** Writes the profiles, moved to {@code now}, under a tenant of their own. */
  private static String write(String name, List<Profile> profiles) {
    String tenant = "ct-" + name + "-" + System.nanoTime();
    List<Profile> moved = new ArrayList<>();
    for (int i = 0; i < profiles.size(); i++) {
      Profile p = profiles.get(i);
      moved.add(
          new Profile(
              p.type(),
              p.labels().asMap().isEmpty() ? LabelSet.of("service_name", name) : p.labels(),
              now + i * SECOND,
              p.durationNanos(),
              p.period(),
              Temporality.DELTA,
              moved(p.samples())));
    }
    store.writer().write(new WriteBatch(tenant, moved)).block();
    return tenant;
  }

  /** Samples with their own timestamps (JFR's) moved into the range too, order kept. */
  private static List<Sample> moved(List<Sample> samples) {
    long first =
        samples.stream().mapToLong(Sample::timestampNanos).filter(t -> t > 0).min().orElse(0);
    List<Sample> out = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      long t = s.timestampNanos() == 0 ? 0 : now + (s.timestampNanos() - first);
      out.add(new Sample(s.stack(), s.value(), s.count(), s.attributes(), t));
    }
    return out;
  }

  private static SeriesSelection sel(String tenant, ProfileType type) {
    return new SeriesSelection(tenant, type, List.of(), now - HOUR, now + HOUR);
  }

  /** Both builders on every profile type written, whole and cut to a few nodes. */
  private static void assertSameFlamegraphs(
      String tenant, Collection<ProfileType> types, FrameSymbolizer symbolizer) {
    QueryEngine engine = engine(symbolizer);
    long total = 0;
    for (ProfileType type : types) {
      for (int maxNodes : new int[] {8192, 12}) {
        Flamegraph built = engine.flamegraph(sel(tenant, type), maxNodes).block();
        Flamegraph reference = engine.flamegraph(engine.merge(sel(tenant, type)).block(), maxNodes);
        total += built.total();
        assertThat(JSON.readTree(built.toJson()))
            .as("%s, maxNodes %d", type.id(), maxNodes)
            .isEqualTo(JSON.readTree(reference.toJson()));
      }
      Merged merged = engine.merge(sel(tenant, type)).block();
      for (boolean byTotal : new boolean[] {false, true}) {
        assertThat(engine.top(sel(tenant, type), 1000, byTotal).block())
            .as("top of %s", type.id())
            .isEqualTo(
                new TopResult(
                    type,
                    merged.totalValue(),
                    Analyses.top(Analyses.selfAndTotal(merged), 1000, byTotal)));
      }
      // The sandwich of a few functions: the hottest, one deep down, one recursive if any.
      List<TopResult.FunctionValue> top =
          engine.top(sel(tenant, type), 1000, true).block().functions();
      for (int i : new int[] {0, top.size() / 2, top.size() - 1}) {
        if (top.isEmpty()) {
          break;
        }
        String function = top.get(i).name();
        SandwichResult sandwich = engine.sandwich(sel(tenant, type), function, 64).block();
        CallTree[] trees = referenceSandwich(merged, function);
        assertThat(sandwich.callers().toJson())
            .isEqualTo(
                FlamegraphEncoder.encode(trees[0], type.id(), type.sampleUnit(), 64, false)
                    .toJson());
        assertThat(sandwich.callees().toJson())
            .isEqualTo(
                FlamegraphEncoder.encode(trees[1], type.id(), type.sampleUnit(), 64, false)
                    .toJson());
      }
    }
    assertThat(total).as("something was merged").isPositive();
  }

  /**
   * The sandwich as the reference builder made it from resolved stacks: each stack at the
   * function's outermost occurrence.
   */
  private static CallTree[] referenceSandwich(Merged merged, String function) {
    CallTree callers = new CallTree();
    CallTree callees = new CallTree();
    for (Merged.StackSample s : merged.stacks()) {
      List<String> names = s.names();
      int at = names.indexOf(function);
      if (at >= 0) {
        callers.add(names.subList(0, at + 1).reversed(), 0, s.value(), s.count());
        callees.add(names.subList(at, names.size()), 0, s.value(), s.count());
      }
    }
    return new CallTree[] {callers, callees};
  }

  /** The flamegraph's JSON without frame types, as the wire-format fixtures write it. */
  private static JsonNode withoutFrameTypes(Flamegraph fg) {
    tools.jackson.databind.node.ObjectNode node =
        (tools.jackson.databind.node.ObjectNode) JSON.readTree(fg.toJson());
    assertThat(node.remove("frameTypes")).allMatch(t -> t.asString().isEmpty());
    return node;
  }

  static Stream<String> realFixtures() {
    return Stream.of("go-cpu.pb.gz", "go-heap.pb.gz", "java.jfr", "perf.folded");
  }

  private static List<Profile> decode(String fixture) throws Exception {
    byte[] data = Fixtures.bytes(fixture);
    if (fixture.endsWith(".jfr")) {
      return JfrDecoder.decode(data, JfrOptions.defaults());
    }
    if (fixture.endsWith(".folded")) {
      return List.of(FoldedCodec.decode(data, ProfileType.CPU, 10_000_000L, now, 10 * SECOND));
    }
    return PprofDecoder.decode(data, PprofOptions.goRuntime());
  }

  @ParameterizedTest
  @MethodSource("realFixtures")
  void realProfilesGiveTheSameFlamegraphs(String fixture) throws Exception {
    List<Profile> profiles = decode(fixture);
    String tenant = write(fixture.replaceAll("[^a-z]", ""), profiles);
    Set<ProfileType> types = new LinkedHashSet<>();
    profiles.forEach(p -> types.add(p.type()));
    assertSameFlamegraphs(tenant, types, FrameSymbolizer.NONE);
  }

  static Stream<Path> wireFixtures() throws Exception {
    return Files.list(Path.of("src/test/resources/flamegraph-fixtures"))
        .filter(p -> p.toString().endsWith(".json"))
        .sorted();
  }

  private static Profile folded(String text) throws Exception {
    return FoldedCodec.decode(
        text.getBytes(StandardCharsets.UTF_8), ProfileType.CPU_SAMPLES, 1, now, 10 * SECOND);
  }

  @ParameterizedTest
  @MethodSource("wireFixtures")
  void wireFormatFixturesGiveTheSameFlamegraphsAndDiffs(Path file) throws Exception {
    JsonNode fixture = JSON.readTree(file.toFile());
    int maxNodes = fixture.get("maxNodes").asInt();
    QueryEngine engine = engine(FrameSymbolizer.NONE);
    if (!fixture.has("left")) {
      String tenant = write("wire", List.of(folded(fixture.get("folded").asString())));
      Flamegraph built = engine.flamegraph(sel(tenant, ProfileType.CPU_SAMPLES), maxNodes).block();
      assertThat(withoutFrameTypes(built)).isEqualTo(fixture.get("expected"));
      assertSameFlamegraphs(tenant, List.of(ProfileType.CPU_SAMPLES), FrameSymbolizer.NONE);
      return;
    }
    // Both sides in one tenant, apart by label.
    String both =
        write(
            "both",
            List.of(
                relabel(folded(fixture.get("left").asString()), "l"),
                relabel(folded(fixture.get("right").asString()), "r")));
    SeriesSelection l = side(both, "l");
    SeriesSelection r = side(both, "r");
    Flamegraph built = engine.diff(l, r, maxNodes).block();
    assertThat(withoutFrameTypes(built)).isEqualTo(fixture.get("expected"));
    assertThat(built.toJson()).isEqualTo(referenceDiff(engine, l, r, maxNodes).toJson());
  }

  private static Profile relabel(Profile p, String side) {
    return new Profile(
        p.type(),
        LabelSet.of("side", side),
        p.timeNanos(),
        p.durationNanos(),
        p.period(),
        p.temporality(),
        p.samples());
  }

  private static SeriesSelection side(String tenant, String side) {
    return labelled(tenant, ProfileType.CPU_SAMPLES, "side", side);
  }

  private static SeriesSelection labelled(
      String tenant, ProfileType type, String label, String value) {
    return new SeriesSelection(
        tenant,
        type,
        List.of(dev.hearth.model.LabelMatcher.eq(label, value)),
        now - HOUR,
        now + HOUR);
  }

  /** The diff as the reference builder made it: both merges resolved, one name-keyed tree. */
  private static Flamegraph referenceDiff(
      QueryEngine engine, SeriesSelection left, SeriesSelection right, int maxNodes) {
    Merged l = engine.merge(left).block();
    Merged r = engine.merge(right).block();
    CallTree tree = new CallTree();
    Analyses.addToTree(tree, l, 0, Long.MAX_VALUE);
    Analyses.addToTree(tree, r, 1, Long.MAX_VALUE);
    return FlamegraphEncoder.encode(
            tree, left.type().id(), left.type().sampleUnit(), maxNodes, true)
        .withFrameTypes(Analyses.frameTypes(List.of(l, r)));
  }

  /**
   * Names every other unsymbolised frame, some as an inlined pair, others as a function one frame
   * of another build also names, so names merge across locations.
   */
  private static final class HalfSymbolizer implements FrameSymbolizer {
    @Override
    public Mono<Map<Location, List<Line>>> symbolize(String tenant, Collection<Location> frames) {
      Map<Location, List<Line>> out = new HashMap<>();
      for (Location l : frames) {
        long a = l.address();
        if (a % 2 == 0) {
          continue;
        }
        out.put(
            l,
            a % 3 == 0
                ? List.of(
                    Line.of(Function.of("inlined_" + (a % 5), "", "x.c", 1), 7),
                    Line.of(Function.of("outer_" + (a % 7), "", "x.c", 2), 9))
                : List.of(Line.of(Function.of("named_" + (a % 11), "", "y.c", 3), 4)));
      }
      return Mono.just(out);
    }

    @Override
    public long generation() {
      return 1;
    }
  }

  private static SeriesSelection service(String tenant, String name) {
    return labelled(tenant, ProfileType.CPU, "service_name", name);
  }

  @Test
  void inlinedAndUnsymbolisedFramesNamedAtQueryTimeGiveTheSameFlamegraphs() {
    FleetProfiles gen = new FleetProfiles(17);
    List<Profile> profiles = new ArrayList<>();
    for (String service : List.of("api", "db")) {
      List<Stack> stacks = new ArrayList<>(gen.stacks(service, 300, 12));
      // Two builds of one library: the same synthetic name `libz.so+0x…` for different frames.
      for (String build : List.of("aa01", "bb02")) {
        Mapping lib = Mapping.of("/usr/lib/libz.so", build, "gnu");
        for (int i = 0; i < 20; i++) {
          Location leaf = Location.unsymbolized(lib, 0x500 + i, "native");
          Location caller = Location.of(Function.of(service + ".caller" + (i % 3)));
          stacks.add(Stack.of(List.of(leaf, caller)));
        }
      }
      profiles.add(
          gen.profile(ProfileType.CPU, FleetProfiles.labels(service, "h1"), now, stacks, 3000));
    }
    String tenant = write("fleet", profiles);
    assertSameFlamegraphs(tenant, List.of(ProfileType.CPU), FrameSymbolizer.NONE);
    assertSameFlamegraphs(tenant, List.of(ProfileType.CPU), new HalfSymbolizer());
    QueryEngine engine = engine(new HalfSymbolizer());
    Flamegraph named = engine.flamegraph(sel(tenant, ProfileType.CPU), 8192).block();
    assertThat(named.names()).contains("inlined_1", "outer_3", "named_1", "libz.so+0x500");
    assertThat(named.frameTypes().get(named.names().indexOf("inlined_1"))).isEqualTo("native");
    SeriesSelection api = service(tenant, "api");
    SeriesSelection db = service(tenant, "db");
    for (int maxNodes : new int[] {8192, 40}) {
      assertThat(engine.diff(api, db, maxNodes).block().toJson())
          .isEqualTo(referenceDiff(engine, api, db, maxNodes).toJson());
    }
  }
}
