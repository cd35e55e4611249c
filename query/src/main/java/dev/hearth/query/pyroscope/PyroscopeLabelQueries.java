package dev.hearth.query.pyroscope;

import dev.hearth.model.ProfileType;
import dev.hearth.query.QueryEngine;
import dev.hearth.query.Selector;
import dev.hearth.query.SeriesResult;
import dev.hearth.query.pyroscope.proto.QuerierProto.ProfileTypesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.ProfileTypesResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SeriesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SeriesResponse;
import dev.hearth.query.pyroscope.proto.TypesProto;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelNamesRequest;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelNamesResponse;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelPair;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelValuesRequest;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelValuesResponse;
import dev.hearth.query.request.LabelNamesQuery;
import dev.hearth.query.request.LabelValuesQuery;
import dev.hearth.query.request.Params;
import dev.hearth.query.request.ParseContext;
import dev.hearth.query.request.ProfileTypesQuery;
import dev.hearth.query.request.SeriesQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The label side of Pyroscope's API: profile types, label names and values, and the label sets of
 * series, with Pyroscope's synthetic labels ({@link PyroscopeLabels}) added and matchable.
 */
final class PyroscopeLabelQueries {
  private final QueryEngine engine;

  PyroscopeLabelQueries(QueryEngine engine) {
    this.engine = engine;
  }

  private ParseContext context(String tenant) {
    return new ParseContext(tenant, engine.nowNanos(), engine.limits());
  }

  private static Params.Builder range(Params.Builder b, String prefix, long startMs, long endMs) {
    return PyroscopeQuerier.range(b, prefix, startMs, endMs);
  }

  Mono<ProfileTypesResponse> profileTypes(String tenant, ProfileTypesRequest r) {
    ProfileTypesQuery q =
        ProfileTypesQuery.parse(
            range(Params.builder(), "", r.getStart(), r.getEnd()).build(), context(tenant));
    return engine
        .profileTypes(q.tenant(), q.range())
        .map(
            types -> {
              ProfileTypesResponse.Builder b = ProfileTypesResponse.newBuilder();
              types.forEach(t -> b.addProfileTypes(type(t)));
              return b.build();
            });
  }

  static TypesProto.ProfileType type(ProfileType t) {
    return TypesProto.ProfileType.newBuilder()
        .setID(t.id())
        .setName(t.name())
        .setSampleType(t.sampleType())
        .setSampleUnit(t.sampleUnit())
        .setPeriodType(t.periodType())
        .setPeriodUnit(t.periodUnit())
        .build();
  }

  /** The profile types with data in the range that one of the selectors selects. */
  private Mono<List<ProfileType>> types(
      String tenant, List<PyroscopeLabels.Split> selectors, long startMs, long endMs) {
    ProfileTypesQuery q =
        ProfileTypesQuery.parse(
            range(Params.builder(), "", startMs, endMs).build(), context(tenant));
    return engine
        .profileTypes(q.tenant(), q.range())
        .map(
            all ->
                all.stream()
                    .filter(
                        t -> selectors.isEmpty() || selectors.stream().anyMatch(s -> s.matches(t)))
                    .toList());
  }

  private static List<PyroscopeLabels.Split> selectors(List<String> matchers) {
    List<PyroscopeLabels.Split> out = new ArrayList<>();
    for (int i = 0; i < matchers.size(); i++) {
      out.add(
          PyroscopeLabels.split(
              matchers.size() == 1 ? "matchers" : "matchers[" + i + "]", matchers.get(i)));
    }
    return out;
  }

  Mono<LabelNamesResponse> labelNames(String tenant, LabelNamesRequest r) {
    List<PyroscopeLabels.Split> selectors = selectors(r.getMatchersList());
    return types(tenant, selectors, r.getStart(), r.getEnd())
        .flatMap(
            types -> {
              ProfileType only = types.size() == 1 ? types.getFirst() : null;
              LabelNamesQuery q =
                  LabelNamesQuery.parse(
                      range(Params.builder(), "", r.getStart(), r.getEnd())
                          .add("query", "matchers", only == null ? "" : only.id() + "{}")
                          .build(),
                      context(tenant));
              if (types.isEmpty()) {
                return Mono.just(LabelNamesResponse.getDefaultInstance());
              }
              return engine
                  .labelNames(q.tenant(), q.selector(), q.range())
                  .map(
                      names -> {
                        TreeSet<String> all = new TreeSet<>(names);
                        all.addAll(PyroscopeLabels.NAMES);
                        return LabelNamesResponse.newBuilder().addAllNames(all).build();
                      });
            });
  }

  Mono<LabelValuesResponse> labelValues(String tenant, LabelValuesRequest r) {
    List<PyroscopeLabels.Split> selectors = selectors(r.getMatchersList());
    String name = r.getName().strip();
    if (PyroscopeLabels.isSynthetic(name)) {
      return types(tenant, selectors, r.getStart(), r.getEnd())
          .map(
              types -> {
                TreeSet<String> values = new TreeSet<>();
                for (ProfileType t : types) {
                  String v = PyroscopeLabels.of(t).get(name);
                  if (v != null) {
                    values.add(v);
                  }
                }
                return LabelValuesResponse.newBuilder().addAllNames(values).build();
              });
    }
    PyroscopeLabels.Split selector =
        selectors.isEmpty() ? PyroscopeLabels.split("matchers", "") : selectors.getFirst();
    return types(tenant, selectors, r.getStart(), r.getEnd())
        .flatMap(
            types -> {
              if (types.isEmpty()) {
                return Mono.just(LabelValuesResponse.getDefaultInstance());
              }
              ProfileType only = types.size() == 1 ? types.getFirst() : null;
              LabelValuesQuery q =
                  LabelValuesQuery.parse(
                      range(Params.builder(), "", r.getStart(), r.getEnd())
                          .add("name", "name", name)
                          .add(
                              "query",
                              "matchers",
                              (only == null ? "" : only.id()) + selector.labelSelector())
                          .build(),
                      context(tenant));
              return engine
                  .labelValues(q.tenant(), q.name(), q.selector(), q.range())
                  .map(values -> LabelValuesResponse.newBuilder().addAllNames(values).build());
            });
  }

  /**
   * The label sets of the series with data in the range: for each selected profile type, one
   * whole-range series per distinct set of labels, with the synthetic labels added; only {@code
   * label_names} when given.
   */
  Mono<SeriesResponse> series(String tenant, SeriesRequest r) {
    List<PyroscopeLabels.Split> selectors = selectors(r.getMatchersList());
    List<String> wanted = r.getLabelNamesList();
    return types(tenant, selectors, r.getStart(), r.getEnd())
        .flatMapMany(Flux::fromIterable)
        .concatMap(
            type -> {
              PyroscopeLabels.Split selector =
                  selectors.stream().filter(s -> s.matches(type)).findFirst().orElseThrow();
              return engine
                  .labelNames(
                      tenant,
                      new Selector(type, List.of()),
                      ProfileTypesQuery.parse(
                              range(Params.builder(), "", r.getStart(), r.getEnd()).build(),
                              context(tenant))
                          .range())
                  .flatMap(
                      names -> {
                        SeriesQuery q =
                            SeriesQuery.parse(
                                range(Params.builder(), "", r.getStart(), r.getEnd())
                                    .add("query", "matchers", type.id() + selector.labelSelector())
                                    .add("groupBy", "label_names", names)
                                    .add("limit", "limit", SeriesQuery.MAX_LIMIT)
                                    .add("step", "step", "1d")
                                    .build(),
                                context(tenant));
                        long span = q.selection().untilNanos() - q.selection().fromNanos();
                        long step =
                            Math.max(
                                q.stepNanos(), Math.ceilDiv(span, 1_000_000_000L) * 1_000_000_000L);
                        return engine.series(q.selection(), step, q.groupBy(), q.limit());
                      })
                  .flatMapIterable(
                      result -> {
                        List<TypesProto.Labels> sets = new ArrayList<>();
                        for (SeriesResult.Series s : result.series()) {
                          TreeSet<String> seen = new TreeSet<>();
                          List<LabelPair> pairs = new ArrayList<>();
                          PyroscopeLabels.of(type)
                              .asMap()
                              .forEach((k, v) -> add(pairs, seen, wanted, k, v));
                          s.labels().forEach((k, v) -> add(pairs, seen, wanted, k, v));
                          pairs.sort(Comparator.comparing(LabelPair::getName));
                          sets.add(TypesProto.Labels.newBuilder().addAllLabels(pairs).build());
                        }
                        return sets;
                      });
            })
        .collectList()
        .map(sets -> SeriesResponse.newBuilder().addAllLabelsSet(sets).build());
  }

  private static void add(
      List<LabelPair> pairs, TreeSet<String> seen, List<String> wanted, String k, String v) {
    if (!v.isEmpty() && (wanted.isEmpty() || wanted.contains(k)) && seen.add(k)) {
      pairs.add(LabelPair.newBuilder().setName(k).setValue(v).build());
    }
  }
}
