package dev.hearth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Function;
import dev.hearth.model.LabelMatcher;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Location;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.testing.FleetProfiles;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract every backend passes: a backend's IT extends this with a few lines that hand
 * over a started store on an empty database and say how to count dictionary rows.
 */
public abstract class ITProfileStore {
  protected static final long MINUTE = 60_000_000_000L;
  protected static final long HOUR = 60 * MINUTE;

  /** A started store on a database no other test writes to. */
  protected abstract ProfileStore store();

  /** Rows (including not-yet-merged duplicates) in the functions, locations and stacks tables. */
  protected abstract long dictionaryRows();

  protected String tenant;
  protected long now;
  protected FleetProfiles gen;

  @BeforeEach
  void freshTenant(org.junit.jupiter.api.TestInfo info) {
    tenant = "t-" + info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
    now =
        Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS).toEpochMilli()
            * 1_000_000L;
    gen = new FleetProfiles(info.getDisplayName().hashCode());
  }

  protected WriteResult write(String tenant, List<Profile> profiles) {
    return store().writer().write(new WriteBatch(tenant, profiles)).block();
  }

  protected Map<Long, long[]> merged(SeriesSelection selection) {
    Map<Long, long[]> out = new HashMap<>();
    for (StackValue v : store().queries().mergedStacks(selection).collectList().block()) {
      out.put(v.stackId(), new long[] {v.value(), v.count()});
    }
    return out;
  }

  /** The independent aggregation: per stack id, summed value and count of matching profiles. */
  protected static Map<Long, long[]> expected(List<Profile> profiles) {
    Map<Long, long[]> out = new HashMap<>();
    for (Profile p : profiles) {
      for (Sample s : p.samples()) {
        long[] v = out.computeIfAbsent(s.stack().id(), k -> new long[2]);
        v[0] += s.value();
        v[1] += s.count();
      }
    }
    return out;
  }

  protected SeriesSelection all(ProfileType type, long from, long until, LabelMatcher... matchers) {
    return new SeriesSelection(tenant, type, List.of(matchers), from, until);
  }

  private static Map<Long, List<Long>> asLists(Map<Long, long[]> m) {
    return m.entrySet().stream()
        .collect(
            Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()[0], e.getValue()[1])));
  }

  @Test
  void mergedValuesEqualAnIndependentAggregationOfTheInput() {
    List<Stack> api = gen.stacks("api", 300, 30);
    List<Stack> web = gen.stacks("web", 200, 20);
    List<Profile> apiProfiles =
        List.of(
            gen.profile(ProfileType.CPU, FleetProfiles.labels("api", "h1"), now, api, 2000),
            gen.profile(
                ProfileType.CPU, FleetProfiles.labels("api", "h2"), now + MINUTE, api, 2000));
    Profile webProfile =
        gen.profile(
            ProfileType.CPU, FleetProfiles.labels("web", "h1"), now + 2 * MINUTE, web, 1500);
    Profile outside =
        gen.profile(ProfileType.CPU, FleetProfiles.labels("api", "h1"), now + 2 * HOUR, api, 100);
    write(tenant, List.of(apiProfiles.get(0), apiProfiles.get(1), webProfile, outside));

    long from = now;
    long until = now + HOUR;
    assertThat(
            asLists(
                merged(all(ProfileType.CPU, from, until, LabelMatcher.eq("service_name", "api")))))
        .isEqualTo(asLists(expected(apiProfiles)));
    assertThat(asLists(merged(all(ProfileType.CPU, from, until))))
        .isEqualTo(asLists(expected(List.of(apiProfiles.get(0), apiProfiles.get(1), webProfile))));
    assertThat(
            asLists(
                merged(
                    all(
                        ProfileType.CPU,
                        from,
                        until,
                        new LabelMatcher("host_name", LabelMatcher.Op.RE, "h[2-9]")))))
        .isEqualTo(asLists(expected(List.of(apiProfiles.get(1)))));
    assertThat(
            asLists(
                merged(
                    all(
                        ProfileType.CPU,
                        from,
                        until,
                        new LabelMatcher("service_name", LabelMatcher.Op.NEQ, "api")))))
        .isEqualTo(asLists(expected(List.of(webProfile))));
    assertThat(merged(all(ProfileType.OFF_CPU, from, until))).isEmpty();
  }

  @Test
  void longRangesFromRollupsGiveTheSameMerge() {
    List<Stack> api = gen.stacks("api", 100, 10);
    List<Profile> profiles =
        List.of(
            gen.profile(
                ProfileType.CPU,
                FleetProfiles.labels("api", "h1"),
                now - 22 * HOUR + 9 * MINUTE,
                api,
                500),
            gen.profile(
                ProfileType.CPU, FleetProfiles.labels("api", "h1"), now - 9 * HOUR, api, 500),
            gen.profile(
                ProfileType.CPU,
                FleetProfiles.labels("api", "h1"),
                now + 2 * HOUR + 3 * MINUTE,
                api,
                500));
    write(tenant, profiles);
    // 24 h, not hour-aligned: whole hours from the hourly rollup, the edges from raw samples.
    long from = now - 22 * HOUR + 7 * MINUTE;
    assertThat(asLists(merged(all(ProfileType.CPU, from, from + 24 * HOUR))))
        .isEqualTo(asLists(expected(profiles)));
    List<StepTotal> totals =
        store()
            .queries()
            .totals(all(ProfileType.CPU, now - 24 * HOUR, now + 3 * HOUR), HOUR, List.of())
            .collectList()
            .block();
    long expectedTotal = profiles.stream().mapToLong(Profile::totalValue).sum();
    assertThat(totals).hasSize(3);
    assertThat(totals.stream().mapToLong(StepTotal::value).sum()).isEqualTo(expectedTotal);
    // An unaligned range cannot use the minute rollup; raw rows give the same totals.
    List<StepTotal> raw =
        store()
            .queries()
            .totals(
                all(ProfileType.CPU, now - 24 * HOUR + 1_000_000_000L, now + 3 * HOUR),
                HOUR,
                List.of())
            .collectList()
            .block();
    assertThat(raw.stream().mapToLong(StepTotal::value).sum()).isEqualTo(expectedTotal);
  }

  @Test
  void writingTheSameBatchTwiceDoublesValuesAndAddsNoDictionaryRows() {
    List<Stack> api = gen.stacks("api", 200, 25);
    List<Profile> batch =
        List.of(gen.profile(ProfileType.CPU, FleetProfiles.labels("api", "h1"), now, api, 1000));
    WriteResult first = write(tenant, batch);
    long rowsAfterFirst = dictionaryRows();
    WriteResult second = write(tenant, batch);

    assertThat(first.newStacks()).isPositive();
    assertThat(second.newStacks()).isZero();
    assertThat(second.newFunctions()).isZero();
    assertThat(dictionaryRows()).isEqualTo(rowsAfterFirst);
    Map<Long, long[]> once = expected(batch);
    Map<Long, long[]> got = merged(all(ProfileType.CPU, now, now + HOUR));
    assertThat(got.keySet()).isEqualTo(once.keySet());
    once.forEach((id, v) -> assertThat(got.get(id)).containsExactly(2 * v[0], 2 * v[1]));
  }

  @Test
  void anotherTenantSeesNothingEvenWhenFunctionsAreShared() {
    List<Stack> stacks = gen.stacks("api", 50, 10);
    Profile p = gen.profile(ProfileType.CPU, FleetProfiles.labels("api", "h1"), now, stacks, 300);
    String other = tenant + "-other";
    write(tenant, List.of(p));
    // The other tenant writes different samples over the very same functions and stacks.
    Profile q =
        gen.profile(
            ProfileType.CPU, FleetProfiles.labels("api", "h9"), now, stacks.subList(0, 10), 50);
    write(other, List.of(q));

    assertThat(asLists(merged(all(ProfileType.CPU, now, now + HOUR))))
        .isEqualTo(asLists(expected(List.of(p))));
    SeriesSelection otherSel =
        new SeriesSelection(other, ProfileType.CPU, List.of(), now, now + HOUR);
    assertThat(store().queries().mergedStacks(otherSel).collectList().block())
        .extracting(StackValue::value)
        .containsExactlyInAnyOrderElementsOf(
            expected(List.of(q)).values().stream().map(v -> v[0]).toList());
    String stranger = tenant + "-stranger";
    assertThat(
            store()
                .queries()
                .mergedStacks(
                    new SeriesSelection(stranger, ProfileType.CPU, List.of(), now, now + HOUR))
                .collectList()
                .block())
        .isEmpty();
    assertThat(
            store()
                .queries()
                .labelValues(other, "host_name", null, List.of(), now, now + HOUR)
                .collectList()
                .block())
        .containsExactly("h9");
    assertThat(store().queries().stacks(stranger, List.of(stacks.getFirst().id())).block())
        .isEmpty();
    assertThat(store().queries().profileTypes(stranger, now, now + HOUR).collectList().block())
        .isEmpty();
  }

  @Test
  void stacksComeBackWithTheirFramesAndIds() {
    List<Stack> stacks = gen.stacks("api", 30, 12);
    write(
        tenant,
        List.of(gen.profile(ProfileType.CPU, FleetProfiles.labels("api", "h1"), now, stacks, 200)));
    List<Long> ids = stacks.stream().map(Stack::id).toList();
    Map<Long, Stack> back = store().queries().stacks(tenant, ids).block();
    Map<Long, Long> unknownIncluded = Map.of();
    assertThat(back).hasSize(stacks.size());
    for (Stack s : stacks) {
      Stack b = back.get(s.id());
      assertThat(b).isEqualTo(s);
      assertThat(b.functionNamesRootFirst()).isEqualTo(s.functionNamesRootFirst());
    }
    assertThat(store().queries().stacks(tenant, List.of(42L)).block()).isEqualTo(unknownIncluded);
  }

  @Test
  void mergedFramesCarryEachStacksIdsAndTheNamesTableItsFunctions() {
    List<Stack> stacks = gen.stacks("api", 40, 12);
    Profile p = gen.profile(ProfileType.CPU, FleetProfiles.labels("api", "h1"), now, stacks, 300);
    write(tenant, List.of(p));
    Map<Long, Stack> byId = new HashMap<>();
    stacks.forEach(s -> byId.put(s.id(), s));
    SeriesSelection sel = all(ProfileType.CPU, now - HOUR, now + HOUR);
    Map<Long, long[]> expected = expected(List.of(p));
    for (ProfileQueries q : List.of(store().queries(), new DelegatingQueries(store().queries()))) {
      List<StackFrames> rows = q.mergedFrames(sel, 1000).collectList().block();
      assertThat(rows).hasSize(expected.size());
      for (StackFrames r : rows) {
        Stack s = byId.get(r.stackId());
        assertThat(r.found()).isTrue();
        assertThat(List.of(r.value(), r.count()))
            .isEqualTo(List.of(expected.get(r.stackId())[0], expected.get(r.stackId())[1]));
        assertThat(r.locationIds())
            .containsExactly(s.locations().stream().mapToLong(Location::id).toArray());
        assertThat(r.functionIds())
            .containsExactly(
                s.functionsLeafFirst().stream().mapToLong(dev.hearth.model.Function::id).toArray());
      }
      assertThat(q.mergedFrames(sel, 5).collectList().block()).hasSize(5);
    }
    Map<Long, dev.hearth.model.Function> functions = new HashMap<>();
    Map<Long, Location> locations = new HashMap<>();
    for (Stack s : stacks) {
      s.functionsLeafFirst().forEach(f -> functions.put(f.id(), f));
      s.locations().forEach(l -> locations.put(l.id(), l));
    }
    Map<Long, FunctionInfo> names =
        store().queries().functions(tenant, functions.keySet(), now - HOUR, now + HOUR).block();
    assertThat(names).hasSameSizeAs(functions);
    names.forEach(
        (id, info) -> {
          assertThat(info.function()).isEqualTo(functions.get(id));
          assertThat(info.frameType()).isEqualTo("native"); // FleetProfiles' frames are native
        });
    assertThat(store().queries().locations(tenant, locations.keySet()).block())
        .isEqualTo(locations);
    assertThat(store().queries().functions(tenant, List.of(42L), now, now + HOUR).block())
        .isEmpty();
    assertThat(store().queries().locations(tenant, List.of(42L)).block()).isEmpty();
    Map<Long, Location> oneLine = new HashMap<>(locations);
    oneLine.values().removeIf(l -> l.lines().size() != 1);
    assertThat(oneLine).isNotEmpty().hasSizeLessThan(locations.size());
    assertThat(
            store()
                .queries()
                .oneLineLocations(tenant, functions.keySet(), now - HOUR, now + HOUR)
                .block())
        .isEqualTo(oneLine);
    assertThat(store().queries().oneLineLocations(tenant, List.of(42L), now, now + HOUR).block())
        .isEmpty();
    // Another tenant sees none of them.
    assertThat(store().queries().locations("other-" + tenant, locations.keySet()).block())
        .isEmpty();
  }

  @Test
  void labelsTypesAndGroupedTotals() {
    List<Stack> stacks = gen.stacks("api", 20, 5);
    Profile a =
        gen.profile(
            ProfileType.CPU, FleetProfiles.labels("api", "h1"), now + 10_000_000_000L, stacks, 100);
    Profile b =
        gen.profile(
            ProfileType.CPU, FleetProfiles.labels("api", "h2"), now + 70_000_000_000L, stacks, 100);
    Profile c =
        gen.profile(
            ProfileType.ALLOC_SPACE,
            LabelSet.of("service_name", "web", "region", "eu"),
            now,
            stacks,
            100);
    write(tenant, List.of(a, b, c));

    assertThat(store().queries().profileTypes(tenant, now, now + HOUR).collectList().block())
        .containsExactly(ProfileType.ALLOC_SPACE, ProfileType.CPU);
    assertThat(store().queries().labelNames(tenant, null, now, now + HOUR).collectList().block())
        .containsExactly("host_name", "region", "service_name");
    assertThat(
            store()
                .queries()
                .labelNames(tenant, ProfileType.CPU, now, now + HOUR)
                .collectList()
                .block())
        .containsExactly("host_name", "service_name");
    assertThat(
            store()
                .queries()
                .labelValues(tenant, "service_name", null, List.of(), now, now + HOUR)
                .collectList()
                .block())
        .containsExactly("api", "web");
    assertThat(
            store()
                .queries()
                .labelValues(
                    tenant,
                    "host_name",
                    ProfileType.CPU,
                    List.of(new LabelMatcher("host_name", LabelMatcher.Op.NRE, "h1")),
                    now,
                    now + HOUR)
                .collectList()
                .block())
        .containsExactly("h2");

    List<StepTotal> byHost =
        store()
            .queries()
            .totals(all(ProfileType.CPU, now, now + HOUR), MINUTE, List.of("host_name"))
            .collectList()
            .block();
    assertThat(byHost)
        .extracting(t -> t.group().get("host_name"), StepTotal::stepStartNanos, StepTotal::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("h1", now, a.totalValue()),
            org.assertj.core.groups.Tuple.tuple("h2", now + MINUTE, b.totalValue()));
  }

  @Test
  void gaugesAverageOverProfilesInsteadOfSumming() {
    Stack s = Stack.ofFunctionNamesRootFirst(List.of("main", "cache.fill"));
    LabelSet labels = LabelSet.of("service_name", "api");
    List<Profile> snapshots =
        List.of(300L, 600L, 900L).stream()
            .map(
                v ->
                    new Profile(
                        ProfileType.INUSE_SPACE,
                        labels,
                        now + v * 1_000_000_000L,
                        0,
                        0,
                        Temporality.DELTA,
                        List.of(Sample.of(s, v, 1))))
            .toList();
    write(tenant, snapshots);
    Map<Long, long[]> got = merged(all(ProfileType.INUSE_SPACE, now, now + HOUR));
    assertThat(got.get(s.id())[0]).isEqualTo(600);
    List<StepTotal> totals =
        store()
            .queries()
            .totals(all(ProfileType.INUSE_SPACE, now, now + HOUR), HOUR, List.of())
            .collectList()
            .block();
    assertThat(totals)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.value()).isEqualTo(600);
              assertThat(t.profiles()).isEqualTo(3);
            });
    assertThat(Function.of("cache.fill").id()).isEqualTo(s.locations().getFirst().function().id());
  }

  @Test
  void functionStepsSumTheStacksHoldingEachFunctionOncePerStep() {
    Stack hot = Stack.ofFunctionNamesRootFirst(List.of("main", "serve", "hot"));
    Stack hotRecursive = Stack.ofFunctionNamesRootFirst(List.of("main", "hot", "work", "hot"));
    Stack cold = Stack.ofFunctionNamesRootFirst(List.of("main", "idle"));
    LabelSet labels = FleetProfiles.labels("api", "h1");
    List<Profile> profiles = new java.util.ArrayList<>();
    for (int minute = 0; minute < 4; minute++) {
      profiles.add(
          new Profile(
              ProfileType.CPU,
              labels,
              now + minute * MINUTE + 5_000_000_000L,
              10_000_000_000L,
              10_000_000L,
              Temporality.DELTA,
              List.of(
                  Sample.of(hot, 100L * (minute + 1), minute + 1),
                  Sample.of(hotRecursive, 7, 1),
                  Sample.of(cold, 1000, 10))));
    }
    write(tenant, profiles);
    long hotId = Function.of("hot").id();
    long mainId = Function.of("main").id();
    SeriesSelection sel = all(ProfileType.CPU, now, now + 4 * MINUTE);

    // Independently: per minute, the value of every sample whose stack holds the function.
    Map<List<Long>, Long> expected = new HashMap<>();
    for (Profile p : profiles) {
      long step = Math.floorDiv(p.timeNanos(), MINUTE) * MINUTE;
      for (Sample s : p.samples()) {
        List<String> names = s.stack().functionNamesRootFirst();
        if (names.contains("hot")) {
          expected.merge(List.of(hotId, step), s.value(), Long::sum);
        }
        expected.merge(List.of(mainId, step), s.value(), Long::sum);
      }
    }
    ProfileQueries generic = new DelegatingQueries(store().queries());
    for (ProfileQueries q : List.of(store().queries(), generic)) {
      List<FunctionStepValue> got =
          q.functionSteps(sel, MINUTE, List.of(hotId, mainId)).collectList().block();
      Map<List<Long>, Long> actual = new HashMap<>();
      for (FunctionStepValue v : got) {
        actual.put(List.of(v.functionId(), v.stepStartNanos()), v.value());
      }
      assertThat(actual).isEqualTo(expected);
      assertThat(got)
          .isSortedAccordingTo(
              java.util.Comparator.comparingLong(FunctionStepValue::functionId)
                  .thenComparingLong(FunctionStepValue::stepStartNanos));
    }
  }

  @Test
  void manyStacksComeBackInOneCall() {
    List<Sample> samples = new java.util.ArrayList<>();
    for (int i = 0; i < 9000; i++) {
      samples.add(
          Sample.of(
              Stack.ofFunctionNamesRootFirst(List.of("main" + (i % 10), "leaf.function" + i)),
              1,
              1));
    }
    write(
        tenant,
        List.of(
            new Profile(
                ProfileType.CPU,
                LabelSet.of("service_name", "big"),
                now,
                0,
                0,
                Temporality.DELTA,
                samples)));
    List<Long> ids = samples.stream().map(s -> s.stack().id()).toList();
    assertThat(store().queries().stacks(tenant, ids).block()).hasSize(9000);
  }

  /** Every method but the SPI's defaults delegated: runs the generic default implementations. */
  private record DelegatingQueries(ProfileQueries d) implements ProfileQueries {
    @Override
    public reactor.core.publisher.Flux<StackValue> mergedStacks(SeriesSelection selection) {
      return d.mergedStacks(selection);
    }

    @Override
    public reactor.core.publisher.Flux<StepTotal> totals(
        SeriesSelection selection, long stepNanos, List<String> groupBy) {
      return d.totals(selection, stepNanos, groupBy);
    }

    @Override
    public reactor.core.publisher.Flux<ProfileType> profileTypes(
        String tenant, long fromNanos, long untilNanos) {
      return d.profileTypes(tenant, fromNanos, untilNanos);
    }

    @Override
    public reactor.core.publisher.Flux<String> labelNames(
        String tenant, @org.jspecify.annotations.Nullable ProfileType type, long from, long until) {
      return d.labelNames(tenant, type, from, until);
    }

    @Override
    public reactor.core.publisher.Flux<String> labelValues(
        String tenant,
        String name,
        @org.jspecify.annotations.Nullable ProfileType type,
        List<LabelMatcher> matchers,
        long from,
        long until) {
      return d.labelValues(tenant, name, type, matchers, from, until);
    }

    @Override
    public reactor.core.publisher.Mono<Map<Long, Stack>> stacks(
        String tenant, java.util.Collection<Long> ids) {
      return d.stacks(tenant, ids);
    }

    @Override
    public reactor.core.publisher.Mono<Map<Long, FunctionInfo>> functions(
        String tenant, java.util.Collection<Long> ids, long from, long until) {
      return d.functions(tenant, ids, from, until);
    }

    @Override
    public reactor.core.publisher.Mono<Map<Long, dev.hearth.model.Location>> locations(
        String tenant, java.util.Collection<Long> ids) {
      return d.locations(tenant, ids);
    }

    @Override
    public reactor.core.publisher.Mono<Map<Long, dev.hearth.model.Location>> oneLineLocations(
        String tenant, java.util.Collection<Long> ids, long from, long until) {
      return d.oneLineLocations(tenant, ids, from, until);
    }
  }
}
