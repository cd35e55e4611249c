package dev.hearth.query.pyroscope;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.ProfileType;
import dev.hearth.query.InvalidQueryException;
import dev.hearth.query.QueryEngine;
import dev.hearth.query.QueryParams;
import dev.hearth.query.json.JsonWriter;
import dev.hearth.query.pyroscope.proto.QuerierProto.FlameGraph;
import dev.hearth.query.pyroscope.proto.QuerierProto.Level;
import dev.hearth.query.pyroscope.proto.QuerierProto.ProfileTypesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeStacktracesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectSeriesRequest;
import dev.hearth.query.pyroscope.proto.TypesProto;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelValuesRequest;
import dev.hearth.query.pyroscope.proto.TypesProto.TimeSeriesAggregationType;
import dev.hearth.query.request.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.publisher.Mono;

/**
 * Pyroscope's legacy HTTP routes, which Grafana still calls: {@code GET /pyroscope/render?query=
 * <type>{…}&from&until&maxNodes&groupBy&aggregation} (a flamebearer profile with its timeline, as
 * Pyroscope writes it) and {@code GET /pyroscope/label-values?label=…} (a JSON array; {@code
 * __name__} lists the profile types). They go through {@link PyroscopeQuerier}, so they parse and
 * answer like the Connect API.
 */
public final class PyroscopeRender {
  private static final long SECOND = 1_000_000_000L;

  private final QueryEngine engine;
  private final PyroscopeQuerier querier;

  public PyroscopeRender(QueryEngine engine, PyroscopeQuerier querier) {
    this.engine = engine;
    this.querier = querier;
  }

  /** The profile type and the other matchers of {@code query}. */
  private record Query(ProfileType type, String labelSelector) {}

  private static Query query(Params p) {
    String text = p.get("query");
    if (text == null || text.isBlank()) {
      throw new InvalidQueryException("query", "is required: <profile type>{label=\"value\"}");
    }
    PyroscopeLabels.Split split = PyroscopeLabels.split("query", text);
    ProfileType type = split.labels().type();
    for (LabelMatcher m : split.types()) {
      if (m.name().equals(PyroscopeLabels.NAME) && m.op() == LabelMatcher.Op.EQ) {
        type = PyroscopeLabels.parseType("query", m.value());
      }
    }
    if (type == null) {
      throw new InvalidQueryException(
          "query",
          "must contain a profile-type selection, e.g. process_cpu:cpu:nanoseconds:cpu:nanoseconds{}");
    }
    return new Query(type, split.labelSelector());
  }

  public Mono<byte[]> render(String tenant, Params p) {
    Query q = query(p);
    QueryParams.Range range =
        QueryParams.range("from", p.get("from"), "until", p.get("until"), engine.nowNanos());
    long startMs = range.fromNanos() / 1_000_000L;
    long endMs = range.untilNanos() / 1_000_000L;
    String nodes = p.get("maxNodes") != null ? p.get("maxNodes") : p.get("max-nodes");
    SelectMergeStacktracesRequest.Builder merge =
        SelectMergeStacktracesRequest.newBuilder()
            .setProfileTypeID(q.type().id())
            .setLabelSelector(q.labelSelector())
            .setStart(startMs)
            .setEnd(endMs);
    if (nodes != null && !nodes.isBlank()) {
      merge.setMaxNodes(QueryParams.maxNodes(nodes, engine.limits()));
    }
    long stepSeconds =
        Math.max(15, Math.ceilDiv(range.untilNanos() - range.fromNanos(), 1500 * SECOND));
    SelectSeriesRequest.Builder series =
        SelectSeriesRequest.newBuilder()
            .setProfileTypeID(q.type().id())
            .setLabelSelector(q.labelSelector())
            .setStart(startMs)
            .setEnd(endMs)
            .setStep(stepSeconds);
    List<String> groupBy = QueryParams.groupBy(p.get("groupBy"));
    series.addAllGroupBy(groupBy);
    String aggregation = p.get("aggregation");
    if (aggregation != null && !aggregation.isBlank()) {
      series.setAggregation(
          switch (aggregation.strip()) {
            case "sum" -> TimeSeriesAggregationType.TIME_SERIES_AGGREGATION_TYPE_SUM;
            case "avg" -> TimeSeriesAggregationType.TIME_SERIES_AGGREGATION_TYPE_AVERAGE;
            default ->
                throw new InvalidQueryException(
                    "aggregation", "must be sum or avg, not '" + aggregation + "'");
          });
    }
    return querier
        .selectMergeStacktraces(tenant, merge.build())
        .zipWith(querier.selectSeries(tenant, series.build()))
        .map(
            both -> {
              JsonWriter w = new JsonWriter().beginObject().field("version", 1);
              flamebearer(w, both.getT1().getFlamegraph());
              metadata(w, q.type());
              List<TypesProto.Series> all = both.getT2().getSeriesList();
              w.name("timeline");
              timeline(
                  w,
                  all.size() == 1 ? all.getFirst() : TypesProto.Series.getDefaultInstance(),
                  startMs,
                  endMs,
                  stepSeconds);
              w.name("groups");
              if (groupBy.isEmpty()) {
                w.nullValue();
              } else {
                Map<String, TypesProto.Series> groups = new TreeMap<>();
                for (TypesProto.Series s : all) {
                  String key = "*";
                  for (TypesProto.LabelPair l : s.getLabelsList()) {
                    if (l.getName().equals(groupBy.getFirst())) {
                      key = l.getValue();
                    }
                  }
                  groups.put(key, s);
                }
                w.beginObject();
                groups.forEach(
                    (k, s) -> {
                      w.name(k);
                      timeline(w, s, startMs, endMs, stepSeconds);
                    });
                w.endObject();
              }
              w.name("heatmap").nullValue();
              return w.endObject().toBytes();
            });
  }

  private static void flamebearer(JsonWriter w, FlameGraph fg) {
    w.name("flamebearer").beginObject().name("names").beginArray();
    fg.getNamesList().forEach(w::value);
    w.endArray().name("levels").beginArray();
    for (Level l : fg.getLevelsList()) {
      w.beginArray();
      l.getValuesList().forEach(w::value);
      w.endArray();
    }
    w.endArray().field("numTicks", fg.getTotal()).field("maxSelf", fg.getMaxSelf()).endObject();
  }

  /** Pyroscope's units and sample rates per sample type (its {@code ExportToFlamebearer}). */
  private static void metadata(JsonWriter w, ProfileType t) {
    String units = t.sampleUnit();
    long sampleRate = 100;
    switch (t.sampleType()) {
      case "inuse_objects", "alloc_objects", "goroutine", "samples" -> units = "objects";
      case "cpu" -> {
        units = "samples";
        sampleRate = 1_000_000_000L;
      }
      default -> {}
    }
    w.name("metadata")
        .beginObject()
        .field("format", "single")
        .field("spyName", "")
        .field("sampleRate", sampleRate)
        .field("units", units)
        .field("name", t.sampleType())
        .endObject();
  }

  /**
   * Pyroscope's timeline: one sample per step from the start (snapped to the step) to the end, zero
   * where there is no data. A point at {@code t} covers the step ending at {@code t}.
   */
  private static void timeline(
      JsonWriter w, TypesProto.Series s, long startMs, long endMs, long stepSeconds) {
    long stepMs = stepSeconds * 1000;
    long first = Math.floorDiv(startMs, stepMs) * stepMs;
    long last = Math.floorDiv(endMs, stepMs) * stepMs;
    int n = (int) Math.max(0, (last - first) / stepMs);
    long[] samples = new long[n];
    for (TypesProto.Point pt : s.getPointsList()) {
      long i = (pt.getTimestamp() - stepMs - first) / stepMs;
      if (i >= 0 && i < n) {
        samples[(int) i] += (long) pt.getValue();
      }
    }
    w.beginObject().field("startTime", first / 1000).name("samples").beginArray();
    for (long v : samples) {
      w.value(v);
    }
    w.endArray().field("durationDelta", stepSeconds).name("watermarks").nullValue().endObject();
  }

  public Mono<byte[]> labelValues(String tenant, Params p) {
    String label = p.get("label");
    if (label == null || label.isBlank()) {
      throw new InvalidQueryException("label", "is required");
    }
    QueryParams.Range range =
        QueryParams.range("from", p.get("from"), "until", p.get("until"), engine.nowNanos());
    long startMs = range.fromNanos() / 1_000_000L;
    long endMs = range.untilNanos() / 1_000_000L;
    Mono<List<String>> values;
    if (label.strip().equals(PyroscopeLabels.NAME)) {
      values =
          querier
              .profileTypes(
                  tenant, ProfileTypesRequest.newBuilder().setStart(startMs).setEnd(endMs).build())
              .map(
                  r ->
                      r.getProfileTypesList().stream().map(TypesProto.ProfileType::getID).toList());
    } else {
      LabelValuesRequest.Builder b =
          LabelValuesRequest.newBuilder().setName(label.strip()).setStart(startMs).setEnd(endMs);
      String query = p.get("query");
      if (query != null && !query.isBlank()) {
        b.addMatchers(query);
      }
      values = querier.labelValues(tenant, b.build()).map(r -> new ArrayList<>(r.getNamesList()));
    }
    return values.map(
        list -> {
          JsonWriter w = new JsonWriter().beginArray();
          list.forEach(w::value);
          return w.endArray().toBytes();
        });
  }
}
