package dev.hearth.query.pyroscope;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.model.ProfileType;
import dev.hearth.query.InvalidQueryException;
import dev.hearth.query.QueryEngine;
import dev.hearth.query.SeriesResult;
import dev.hearth.query.pyroscope.proto.GoogleProfileProto;
import dev.hearth.query.pyroscope.proto.QuerierProto.DiffRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.DiffResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.FlameGraph;
import dev.hearth.query.pyroscope.proto.QuerierProto.PprofProfile;
import dev.hearth.query.pyroscope.proto.QuerierProto.ProfileFormat;
import dev.hearth.query.pyroscope.proto.QuerierProto.ProfileTypesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.ProfileTypesResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeProfileRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeSpanProfileRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeSpanProfileResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeStacktracesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeStacktracesResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectSeriesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectSeriesResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SeriesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SeriesResponse;
import dev.hearth.query.pyroscope.proto.TypesProto;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelNamesRequest;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelNamesResponse;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelPair;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelValuesRequest;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelValuesResponse;
import dev.hearth.query.pyroscope.proto.TypesProto.TimeSeriesAggregationType;
import dev.hearth.query.request.DiffQuery;
import dev.hearth.query.request.MergeQuery;
import dev.hearth.query.request.Params;
import dev.hearth.query.request.ParseContext;
import dev.hearth.query.request.SeriesQuery;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import reactor.core.publisher.Mono;

/**
 * Pyroscope's {@code querier.v1.QuerierService} over the query core. Each request becomes Hearth's
 * typed request (so it is parsed, defaulted and validated like every other; errors name Pyroscope's
 * fields: {@code label_selector}, {@code start}, {@code max_nodes}, …), each result Pyroscope's
 * message.
 *
 * <p>Semantics as in Pyroscope: times are milliseconds since the epoch ({@code 0}: absent, then the
 * last hour); values are in the profile type's sample unit; series points are at the end of their
 * step ({@code (t − step, t]}), steps are {@code step} seconds on a grid aligned to the epoch;
 * every series carries the synthetic labels {@code __name__}, {@code __profile_type__}, {@code
 * __type__}, {@code __unit__}, {@code __period_type__} and {@code __period_unit__}, and matchers on
 * them select profile types. Hearth records no span ids, so span selections are empty.
 */
public final class PyroscopeQuerier {
  private final QueryEngine engine;
  private final PyroscopeLabelQueries labels;

  public PyroscopeQuerier(QueryEngine engine) {
    this.engine = engine;
    this.labels = new PyroscopeLabelQueries(engine);
  }

  private ParseContext context(String tenant) {
    return new ParseContext(tenant, engine.nowNanos(), engine.limits());
  }

  /** Milliseconds as Hearth's time parameter (nanoseconds, which its magnitude rule reads). */
  static Params.Builder range(Params.Builder b, String prefix, long startMs, long endMs) {
    return b.add(
            "from", prefix + "start", startMs == 0 ? 0 : Math.multiplyExact(startMs, 1_000_000L))
        .add("until", prefix + "end", endMs == 0 ? 0 : Math.multiplyExact(endMs, 1_000_000L));
  }

  public Mono<ProfileTypesResponse> profileTypes(String tenant, ProfileTypesRequest r) {
    return labels.profileTypes(tenant, r);
  }

  public Mono<LabelNamesResponse> labelNames(String tenant, LabelNamesRequest r) {
    return labels.labelNames(tenant, r);
  }

  public Mono<LabelValuesResponse> labelValues(String tenant, LabelValuesRequest r) {
    return labels.labelValues(tenant, r);
  }

  /**
   * The label sets of the series with data in the range: for each selected profile type, one per
   * distinct set of labels, with the synthetic labels added; only {@code label_names} when given.
   */
  public Mono<SeriesResponse> series(String tenant, SeriesRequest r) {
    return labels.series(tenant, r);
  }

  /** Parameters of a merge: {@code profile_typeID}, {@code label_selector}, times, nodes. */
  private static Params merge(
      String prefix,
      String profileTypeId,
      String labelSelector,
      long startMs,
      long endMs,
      boolean hasMaxNodes,
      long maxNodes) {
    PyroscopeLabels.Split split = PyroscopeLabels.split(prefix + "label_selector", labelSelector);
    ProfileType type = split.labels().type();
    if (!profileTypeId.isBlank()) {
      ProfileType given = PyroscopeLabels.parseType(prefix + "profile_typeID", profileTypeId);
      if (type != null && !type.equals(given)) {
        throw new InvalidQueryException(
            prefix + "profile_typeID",
            "'" + given.id() + "' contradicts the type in " + prefix + "label_selector");
      }
      type = given;
    }
    if (hasMaxNodes && maxNodes < 0) {
      throw new InvalidQueryException(
          prefix + "max_nodes", "must not be negative, not " + maxNodes);
    }
    return range(Params.builder(), prefix, startMs, endMs)
        .add("query", prefix + "label_selector", split.labelSelector())
        .add("profileType", prefix + "profile_typeID", type == null ? "" : type.id())
        .add("maxNodes", prefix + "max_nodes", hasMaxNodes ? maxNodes : 0)
        .build();
  }

  private static void unsupported(boolean present, String field, String what) {
    if (present) {
      throw new InvalidQueryException(field, what + " is not supported by Hearth");
    }
  }

  public Mono<SelectMergeStacktracesResponse> selectMergeStacktraces(
      String tenant, SelectMergeStacktracesRequest r) {
    unsupported(r.hasStackTraceSelector(), "stack_trace_selector", "selecting by call site");
    unsupported(
        r.getProfileIdSelectorCount() > 0, "profile_id_selector", "selecting profiles by id");
    unsupported(r.getTraceIdSelectorCount() > 0, "trace_id_selector", "selecting by trace id");
    ProfileFormat format = r.getFormat();
    if (format != ProfileFormat.PROFILE_FORMAT_UNSPECIFIED
        && format != ProfileFormat.PROFILE_FORMAT_FLAMEGRAPH
        && format != ProfileFormat.PROFILE_FORMAT_PPROF) {
      throw new InvalidQueryException(
          "format",
          format
              + " is not supported by Hearth; use PROFILE_FORMAT_FLAMEGRAPH or PROFILE_FORMAT_PPROF");
    }
    MergeQuery q =
        MergeQuery.parse(
            merge(
                "",
                r.getProfileTypeID(),
                r.getLabelSelector(),
                r.getStart(),
                r.getEnd(),
                r.hasMaxNodes(),
                r.getMaxNodes()),
            context(tenant));
    if (r.getSpanSelectorCount() > 0) {
      // Hearth records no span ids: no sample belongs to the spans asked for.
      return Mono.just(
          SelectMergeStacktracesResponse.newBuilder().setFlamegraph(emptyFlamegraph()).build());
    }
    if (format == ProfileFormat.PROFILE_FORMAT_PPROF) {
      return pprof(q)
          .map(
              p ->
                  SelectMergeStacktracesResponse.newBuilder()
                      .setPprof(PprofProfile.newBuilder().setProfile(p))
                      .build());
    }
    return engine
        .flamegraph(q.selection(), q.maxNodes())
        .map(
            fg ->
                SelectMergeStacktracesResponse.newBuilder()
                    .setFlamegraph(PyroscopeFlamegraphs.single(fg))
                    .build());
  }

  private static FlameGraph emptyFlamegraph() {
    return FlameGraph.newBuilder()
        .addNames("total")
        .addLevels(
            dev.hearth.query.pyroscope.proto.QuerierProto.Level.newBuilder()
                .addValues(0)
                .addValues(0)
                .addValues(0)
                .addValues(0))
        .build();
  }

  /** Hearth records no span ids, so every span selection is empty (after validating the rest). */
  public Mono<SelectMergeSpanProfileResponse> selectMergeSpanProfile(
      String tenant, SelectMergeSpanProfileRequest r) {
    MergeQuery.parse(
        merge(
            "",
            r.getProfileTypeID(),
            r.getLabelSelector(),
            r.getStart(),
            r.getEnd(),
            r.hasMaxNodes(),
            r.getMaxNodes()),
        context(tenant));
    return Mono.just(
        SelectMergeSpanProfileResponse.newBuilder().setFlamegraph(emptyFlamegraph()).build());
  }

  public Mono<GoogleProfileProto.Profile> selectMergeProfile(
      String tenant, SelectMergeProfileRequest r) {
    unsupported(
        r.hasStackTraceSelector(), "stack_trace_selector", "selecting by call site or for Go PGO");
    unsupported(
        r.getProfileIdSelectorCount() > 0, "profile_id_selector", "selecting profiles by id");
    unsupported(r.getTraceIdSelectorCount() > 0, "trace_id_selector", "selecting by trace id");
    return pprof(
        MergeQuery.parse(
            merge(
                "",
                r.getProfileTypeID(),
                r.getLabelSelector(),
                r.getStart(),
                r.getEnd(),
                r.hasMaxNodes(),
                r.getMaxNodes()),
            context(tenant)));
  }

  private Mono<GoogleProfileProto.Profile> pprof(MergeQuery q) {
    return engine.pprof(q.selection()).map(PyroscopeQuerier::gunzipProfile);
  }

  private static GoogleProfileProto.Profile gunzipProfile(byte[] gzip) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return GoogleProfileProto.Profile.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the pprof encoder wrote an unreadable profile", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Mono<SelectSeriesResponse> selectSeries(String tenant, SelectSeriesRequest r) {
    unsupported(r.hasStackTraceSelector(), "stack_trace_selector", "selecting by call site");
    Params merge =
        merge("", r.getProfileTypeID(), r.getLabelSelector(), r.getStart(), r.getEnd(), false, 0);
    if (!Double.isFinite(r.getStep()) || r.getStep() < 0) {
      throw new InvalidQueryException(
          "step", "must be a positive number of seconds, not " + r.getStep());
    }
    if (r.hasLimit() && r.getLimit() <= 0) {
      throw new InvalidQueryException("limit", "must be positive, not " + r.getLimit());
    }
    long stepMs = Math.round(r.getStep() * 1000);
    Params p =
        Params.builder()
            .add("query", "label_selector", merge.get("query") == null ? "" : merge.get("query"))
            .add(
                "profileType",
                "profile_typeID",
                merge.get("profileType") == null ? "" : merge.get("profileType"))
            .add("from", "start", merge.get("from") == null ? "" : merge.get("from"))
            .add("until", "end", merge.get("until") == null ? "" : merge.get("until"))
            .add("step", "step", stepMs == 0 ? "" : stepMs + "ms")
            .add("groupBy", "group_by", r.getGroupByList())
            .add(
                "limit",
                "limit",
                r.hasLimit()
                    ? Math.min(r.getLimit(), SeriesQuery.MAX_LIMIT)
                    : SeriesQuery.MAX_LIMIT)
            .build();
    SeriesQuery q = SeriesQuery.parse(p, context(tenant));
    if (r.hasAggregation()
        && r.getAggregation() == TimeSeriesAggregationType.TIME_SERIES_AGGREGATION_TYPE_AVERAGE
        && q.selection().type().aggregation() != dev.hearth.model.Aggregation.AVERAGE) {
      throw new InvalidQueryException(
          "aggregation",
          "TIME_SERIES_AGGREGATION_TYPE_AVERAGE is not supported for "
              + q.selection().type().id()
              + ", whose profiles Hearth sums; gauge types (inuse_*) are averaged already");
    }
    return engine
        .series(q.selection(), q.stepNanos(), q.groupBy(), q.limit())
        .map(PyroscopeQuerier::series);
  }

  /** Hearth's steps start at their timestamp; Pyroscope's points sit at the end of their step. */
  static SelectSeriesResponse series(SeriesResult result) {
    long stepMs = result.stepNanos() / 1_000_000L;
    List<TypesProto.Series> out = new ArrayList<>();
    for (SeriesResult.Series s : result.series()) {
      TypesProto.Series.Builder b = TypesProto.Series.newBuilder();
      new java.util.TreeMap<>(s.labels())
          .forEach(
              (k, v) -> {
                if (!v.isEmpty()) {
                  b.addLabels(LabelPair.newBuilder().setName(k).setValue(v));
                }
              });
      for (int i = 0; i < s.values().length; i++) {
        b.addPoints(
            TypesProto.Point.newBuilder()
                .setTimestamp(s.timestampsMillis()[i] + stepMs)
                .setValue(s.values()[i]));
      }
      out.add(b.build());
    }
    out.sort(Comparator.comparing(PyroscopeQuerier::labelKey));
    return SelectSeriesResponse.newBuilder().addAllSeries(out).build();
  }

  private static String labelKey(TypesProto.Series s) {
    StringBuilder sb = new StringBuilder();
    for (LabelPair p : s.getLabelsList()) {
      sb.append(p.getName()).append('\0').append(p.getValue()).append('\0');
    }
    return sb.toString();
  }

  public Mono<DiffResponse> diff(String tenant, DiffRequest r) {
    SelectMergeStacktracesRequest left = r.getLeft();
    SelectMergeStacktracesRequest right = r.getRight();
    Params l =
        merge(
            "left.",
            left.getProfileTypeID(),
            left.getLabelSelector(),
            left.getStart(),
            left.getEnd(),
            left.hasMaxNodes(),
            left.getMaxNodes());
    Params rt =
        merge(
            "right.",
            right.getProfileTypeID(),
            right.getLabelSelector(),
            right.getStart(),
            right.getEnd(),
            false,
            0);
    Map<String, String> values = new java.util.HashMap<>();
    Map<String, String> labels = new java.util.HashMap<>();
    for (String side : List.of("left", "right")) {
      Params p = side.equals("left") ? l : rt;
      // diff's selectors carry the profile type as their prefix
      String type = p.get("profileType");
      put(
          values,
          labels,
          side + "Query",
          (type == null ? "" : type) + java.util.Objects.requireNonNullElse(p.get("query"), "{}"),
          p.label("query"));
      put(values, labels, side + "From", p.get("from"), p.label("from"));
      put(values, labels, side + "Until", p.get("until"), p.label("until"));
    }
    put(values, labels, "maxNodes", l.get("maxNodes"), l.label("maxNodes"));
    DiffQuery q = DiffQuery.parse(Params.of(values, labels), context(tenant));
    return engine
        .diff(q.left(), q.right(), q.maxNodes())
        .map(fg -> DiffResponse.newBuilder().setFlamegraph(PyroscopeFlamegraphs.diff(fg)).build());
  }

  private static void put(
      Map<String, String> values,
      Map<String, String> labels,
      String name,
      @org.jspecify.annotations.Nullable String value,
      String label) {
    labels.put(name, label);
    if (value != null) {
      values.put(name, value);
    }
  }
}
