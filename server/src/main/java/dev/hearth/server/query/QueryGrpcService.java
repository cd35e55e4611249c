package dev.hearth.server.query;

import com.google.protobuf.ByteString;
import dev.hearth.model.ProfileType;
import dev.hearth.query.CorrelateResult;
import dev.hearth.query.QueryEngine;
import dev.hearth.query.SeriesResult;
import dev.hearth.query.TopResult;
import dev.hearth.query.flamegraph.Flamegraph;
import dev.hearth.query.grpc.Category;
import dev.hearth.query.grpc.CorrelateRequest;
import dev.hearth.query.grpc.CorrelateResponse;
import dev.hearth.query.grpc.CorrelatedFunction;
import dev.hearth.query.grpc.Correlation;
import dev.hearth.query.grpc.DiffRequest;
import dev.hearth.query.grpc.FlamegraphResult;
import dev.hearth.query.grpc.FunctionValue;
import dev.hearth.query.grpc.LabelNamesRequest;
import dev.hearth.query.grpc.LabelNamesResponse;
import dev.hearth.query.grpc.LabelValuesRequest;
import dev.hearth.query.grpc.LabelValuesResponse;
import dev.hearth.query.grpc.Level;
import dev.hearth.query.grpc.Point;
import dev.hearth.query.grpc.ProfileTypeInfo;
import dev.hearth.query.grpc.ProfileTypesRequest;
import dev.hearth.query.grpc.ProfileTypesResponse;
import dev.hearth.query.grpc.QueryServiceGrpc;
import dev.hearth.query.grpc.RawResponse;
import dev.hearth.query.grpc.RenderRequest;
import dev.hearth.query.grpc.SandwichRequest;
import dev.hearth.query.grpc.SandwichResponse;
import dev.hearth.query.grpc.SelectRequest;
import dev.hearth.query.grpc.Series;
import dev.hearth.query.grpc.SeriesRequest;
import dev.hearth.query.grpc.SeriesResponse;
import dev.hearth.query.grpc.TopRequest;
import dev.hearth.query.grpc.TopResponse;
import dev.hearth.query.request.CorrelateQuery;
import dev.hearth.query.request.DiffQuery;
import dev.hearth.query.request.LabelNamesQuery;
import dev.hearth.query.request.LabelValuesQuery;
import dev.hearth.query.request.MergeQuery;
import dev.hearth.query.request.Params;
import dev.hearth.query.request.ParseContext;
import dev.hearth.query.request.ProfileTypesQuery;
import dev.hearth.query.request.RenderQuery;
import dev.hearth.query.request.SandwichQuery;
import dev.hearth.query.request.SeriesQuery;
import dev.hearth.query.request.TopQuery;
import dev.hearth.server.rpc.GrpcCalls;
import dev.hearth.server.rpc.UnaryMethod;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Hearth's {@code QueryService}, on the gRPC listener and over Connect on the HTTP listener ({@code
 * /hearth.query.v1.QueryService/<Method>}): each message's fields go, under the REST parameter
 * names, to the operation's typed request ({@link dev.hearth.query.request}), which parses and
 * validates them exactly as for REST; the results are the REST results as messages. Errors map once
 * through {@link dev.hearth.server.web.ApiError}.
 */
@Service
public class QueryGrpcService extends QueryServiceGrpc.QueryServiceImplBase {
  static final String SERVICE = QueryServiceGrpc.SERVICE_NAME;

  private final QueryEngine engine;
  private final UnaryMethod<ProfileTypesRequest, ProfileTypesResponse> profileTypes;
  private final UnaryMethod<LabelNamesRequest, LabelNamesResponse> labelNames;
  private final UnaryMethod<LabelValuesRequest, LabelValuesResponse> labelValues;
  private final UnaryMethod<SelectRequest, FlamegraphResult> flamegraph;
  private final UnaryMethod<DiffRequest, FlamegraphResult> diff;
  private final UnaryMethod<SeriesRequest, SeriesResponse> series;
  private final UnaryMethod<TopRequest, TopResponse> top;
  private final UnaryMethod<SandwichRequest, SandwichResponse> sandwich;
  private final UnaryMethod<CorrelateRequest, CorrelateResponse> correlate;
  private final UnaryMethod<SelectRequest, RawResponse> pprof;
  private final UnaryMethod<SelectRequest, RawResponse> folded;
  private final UnaryMethod<RenderRequest, FlamegraphResult> render;

  public QueryGrpcService(QueryEngine engine) {
    this.engine = engine;
    profileTypes =
        new UnaryMethod<>(
            SERVICE,
            "ProfileTypes",
            ProfileTypesRequest.getDefaultInstance(),
            (tenant, r) -> {
              ProfileTypesQuery q =
                  ProfileTypesQuery.parse(
                      Params.builder()
                          .add("from", "from", r.getFrom())
                          .add("until", "until", r.getUntil())
                          .build(),
                      context(tenant));
              return engine.profileTypes(q.tenant(), q.range()).map(QueryGrpcService::types);
            });
    labelNames =
        new UnaryMethod<>(
            SERVICE,
            "LabelNames",
            LabelNamesRequest.getDefaultInstance(),
            (tenant, r) -> {
              LabelNamesQuery q =
                  LabelNamesQuery.parse(
                      Params.builder()
                          .add("query", "query", r.getQuery())
                          .add("from", "from", r.getFrom())
                          .add("until", "until", r.getUntil())
                          .build(),
                      context(tenant));
              return engine
                  .labelNames(q.tenant(), q.selector(), q.range())
                  .map(names -> LabelNamesResponse.newBuilder().addAllNames(names).build());
            });
    labelValues =
        new UnaryMethod<>(
            SERVICE,
            "LabelValues",
            LabelValuesRequest.getDefaultInstance(),
            (tenant, r) -> {
              LabelValuesQuery q =
                  LabelValuesQuery.parse(
                      Params.builder()
                          .add("name", "name", r.getName())
                          .add("query", "query", r.getQuery())
                          .add("from", "from", r.getFrom())
                          .add("until", "until", r.getUntil())
                          .build(),
                      context(tenant));
              return engine
                  .labelValues(q.tenant(), q.name(), q.selector(), q.range())
                  .map(values -> LabelValuesResponse.newBuilder().addAllValues(values).build());
            });
    flamegraph =
        new UnaryMethod<>(
            SERVICE,
            "Flamegraph",
            SelectRequest.getDefaultInstance(),
            (tenant, r) -> {
              MergeQuery q = MergeQuery.parse(select(r), context(tenant));
              return engine
                  .flamegraph(q.selection(), q.maxNodes())
                  .map(QueryGrpcService::flamegraph);
            });
    diff =
        new UnaryMethod<>(
            SERVICE,
            "Diff",
            DiffRequest.getDefaultInstance(),
            (tenant, r) -> {
              DiffQuery q =
                  DiffQuery.parse(
                      Params.builder()
                          .add("leftQuery", "left_query", r.getLeftQuery())
                          .add("leftFrom", "left_from", r.getLeftFrom())
                          .add("leftUntil", "left_until", r.getLeftUntil())
                          .add("rightQuery", "right_query", r.getRightQuery())
                          .add("rightFrom", "right_from", r.getRightFrom())
                          .add("rightUntil", "right_until", r.getRightUntil())
                          .add("maxNodes", "max_nodes", r.getMaxNodes())
                          .build(),
                      context(tenant));
              return engine
                  .diff(q.left(), q.right(), q.maxNodes())
                  .map(QueryGrpcService::flamegraph);
            });
    series =
        new UnaryMethod<>(
            SERVICE,
            "Series",
            SeriesRequest.getDefaultInstance(),
            (tenant, r) -> {
              SeriesQuery q =
                  SeriesQuery.parse(
                      Params.builder()
                          .add("query", "query", r.getQuery())
                          .add("from", "from", r.getFrom())
                          .add("until", "until", r.getUntil())
                          .add("step", "step", r.getStep())
                          .add("groupBy", "group_by", r.getGroupByList())
                          .add("limit", "limit", r.getLimit())
                          .build(),
                      context(tenant));
              return engine
                  .series(q.selection(), q.stepNanos(), q.groupBy(), q.limit())
                  .map(QueryGrpcService::series);
            });
    top =
        new UnaryMethod<>(
            SERVICE,
            "Top",
            TopRequest.getDefaultInstance(),
            (tenant, r) -> {
              TopQuery q =
                  TopQuery.parse(
                      Params.builder()
                          .add("query", "query", r.getQuery())
                          .add("from", "from", r.getFrom())
                          .add("until", "until", r.getUntil())
                          .add("limit", "limit", r.getLimit())
                          .add("orderBy", "order_by", r.getOrderBy())
                          .build(),
                      context(tenant));
              return engine.top(q.selection(), q.limit(), q.byTotal()).map(QueryGrpcService::top);
            });
    sandwich =
        new UnaryMethod<>(
            SERVICE,
            "Sandwich",
            SandwichRequest.getDefaultInstance(),
            (tenant, r) -> {
              SandwichQuery q =
                  SandwichQuery.parse(
                      Params.builder()
                          .add("query", "query", r.getQuery())
                          .add("from", "from", r.getFrom())
                          .add("until", "until", r.getUntil())
                          .add("function", "function", r.getFunction())
                          .add("maxNodes", "max_nodes", r.getMaxNodes())
                          .build(),
                      context(tenant));
              return engine
                  .sandwich(q.selection(), q.function(), q.maxNodes())
                  .map(
                      s ->
                          SandwichResponse.newBuilder()
                              .setFunction(s.function())
                              .setCallers(flamegraph(s.callers()))
                              .setCallees(flamegraph(s.callees()))
                              .build());
            });
    correlate =
        new UnaryMethod<>(
            SERVICE,
            "Correlate",
            CorrelateRequest.getDefaultInstance(),
            (tenant, r) -> {
              CorrelateQuery q =
                  CorrelateQuery.parse(
                      Params.builder()
                          .add("query", "query", r.getQuery())
                          .add("from", "from", r.getFrom())
                          .add("until", "until", r.getUntil())
                          .add("step", "step", r.getStep())
                          .add("topK", "top_k", r.getTopK())
                          .build(),
                      context(tenant));
              return engine
                  .correlate(q.tenant(), q.matchers(), q.range(), q.stepNanos(), q.topK())
                  .map(QueryGrpcService::correlate);
            });
    pprof =
        new UnaryMethod<>(
            SERVICE,
            "Pprof",
            SelectRequest.getDefaultInstance(),
            (tenant, r) ->
                engine
                    .pprof(MergeQuery.parse(select(r), context(tenant)).selection())
                    .map(bytes -> raw("application/octet-stream", bytes)));
    folded =
        new UnaryMethod<>(
            SERVICE,
            "Folded",
            SelectRequest.getDefaultInstance(),
            (tenant, r) ->
                engine
                    .folded(MergeQuery.parse(select(r), context(tenant)).selection())
                    .map(bytes -> raw("text/plain; charset=utf-8", bytes)));
    render =
        new UnaryMethod<>(
            SERVICE,
            "Render",
            RenderRequest.getDefaultInstance(),
            (tenant, r) -> {
              RenderQuery q =
                  RenderQuery.parse(
                      Params.builder()
                          .add("format", "format", r.getFormat())
                          .add("profileType", "profile_type", r.getProfileType())
                          .add("maxNodes", "max_nodes", r.getMaxNodes())
                          .build(),
                      context(tenant));
              byte[] data = r.getData().toByteArray();
              return Mono.fromCallable(() -> flamegraph(engine.render(data, q)))
                  .subscribeOn(Schedulers.boundedElastic());
            });
  }

  /** Every method, for the Connect routes. */
  public List<UnaryMethod<?, ?>> methods() {
    return List.of(
        profileTypes,
        labelNames,
        labelValues,
        flamegraph,
        diff,
        series,
        top,
        sandwich,
        correlate,
        pprof,
        folded,
        render);
  }

  private ParseContext context(String tenant) {
    return new ParseContext(tenant, engine.nowNanos(), engine.limits());
  }

  private static Params select(SelectRequest r) {
    return Params.builder()
        .add("query", "query", r.getQuery())
        .add("profileType", "profile_type", r.getProfileType())
        .add("from", "from", r.getFrom())
        .add("until", "until", r.getUntil())
        .add("maxNodes", "max_nodes", r.getMaxNodes())
        .build();
  }

  private static ProfileTypesResponse types(List<ProfileType> types) {
    ProfileTypesResponse.Builder b = ProfileTypesResponse.newBuilder();
    for (ProfileType t : types) {
      b.addProfileTypes(
          ProfileTypeInfo.newBuilder()
              .setId(t.id())
              .setName(t.name())
              .setSampleType(t.sampleType())
              .setSampleUnit(t.sampleUnit())
              .setPeriodType(t.periodType())
              .setPeriodUnit(t.periodUnit()));
    }
    return b.build();
  }

  @Override
  public void profileTypes(ProfileTypesRequest r, StreamObserver<ProfileTypesResponse> o) {
    GrpcCalls.answer(profileTypes, r, o);
  }

  @Override
  public void labelNames(LabelNamesRequest r, StreamObserver<LabelNamesResponse> o) {
    GrpcCalls.answer(labelNames, r, o);
  }

  @Override
  public void labelValues(LabelValuesRequest r, StreamObserver<LabelValuesResponse> o) {
    GrpcCalls.answer(labelValues, r, o);
  }

  @Override
  public void flamegraph(SelectRequest r, StreamObserver<FlamegraphResult> o) {
    GrpcCalls.answer(flamegraph, r, o);
  }

  @Override
  public void diff(DiffRequest r, StreamObserver<FlamegraphResult> o) {
    GrpcCalls.answer(diff, r, o);
  }

  @Override
  public void series(SeriesRequest r, StreamObserver<SeriesResponse> o) {
    GrpcCalls.answer(series, r, o);
  }

  @Override
  public void top(TopRequest r, StreamObserver<TopResponse> o) {
    GrpcCalls.answer(top, r, o);
  }

  @Override
  public void sandwich(SandwichRequest r, StreamObserver<SandwichResponse> o) {
    GrpcCalls.answer(sandwich, r, o);
  }

  @Override
  public void correlate(CorrelateRequest r, StreamObserver<CorrelateResponse> o) {
    GrpcCalls.answer(correlate, r, o);
  }

  @Override
  public void pprof(SelectRequest r, StreamObserver<RawResponse> o) {
    GrpcCalls.answer(pprof, r, o);
  }

  @Override
  public void folded(SelectRequest r, StreamObserver<RawResponse> o) {
    GrpcCalls.answer(folded, r, o);
  }

  @Override
  public void render(RenderRequest r, StreamObserver<FlamegraphResult> o) {
    GrpcCalls.answer(render, r, o);
  }

  private static RawResponse raw(String contentType, byte[] bytes) {
    return RawResponse.newBuilder()
        .setContentType(contentType)
        .setData(ByteString.copyFrom(bytes))
        .build();
  }

  static FlamegraphResult flamegraph(Flamegraph fg) {
    FlamegraphResult.Builder b =
        FlamegraphResult.newBuilder()
            .setVersion(Flamegraph.VERSION)
            .setKind(fg.kind())
            .setProfileType(fg.profileType())
            .setUnit(fg.unit())
            .addAllNames(fg.names())
            .setTotal(fg.total())
            .setMaxSelf(fg.maxSelf())
            .setNodes(fg.nodes())
            .setTruncated(fg.truncated())
            .setLeftTotal(fg.leftTotal())
            .setRightTotal(fg.rightTotal())
            .setLeftCount(fg.leftCount())
            .setRightCount(fg.rightCount());
    for (long[] level : fg.levels()) {
      Level.Builder l = Level.newBuilder();
      for (long v : level) {
        l.addValues(v);
      }
      b.addLevels(l);
    }
    return b.build();
  }

  private static SeriesResponse series(SeriesResult r) {
    SeriesResponse.Builder b =
        SeriesResponse.newBuilder()
            .setProfileType(r.type().id())
            .setUnit(r.type().sampleUnit())
            .setStepMillis(r.stepNanos() / 1_000_000L)
            .setFromMillis(r.fromNanos() / 1_000_000L)
            .setUntilMillis(r.untilNanos() / 1_000_000L)
            .setOmittedGroups(r.omittedGroups());
    for (SeriesResult.Series s : r.series()) {
      Series.Builder sb = Series.newBuilder().putAllLabels(s.labels()).setTotal(s.total());
      for (int i = 0; i < s.values().length; i++) {
        sb.addPoints(
            Point.newBuilder()
                .setTimestampMillis(s.timestampsMillis()[i])
                .setValue(s.values()[i])
                .setCount(s.counts()[i]));
      }
      b.addSeries(sb);
    }
    return b.build();
  }

  private static TopResponse top(TopResult r) {
    TopResponse.Builder b =
        TopResponse.newBuilder()
            .setProfileType(r.type().id())
            .setUnit(r.type().sampleUnit())
            .setTotal(r.total());
    for (TopResult.FunctionValue f : r.functions()) {
      b.addFunctions(
          FunctionValue.newBuilder().setName(f.name()).setSelf(f.self()).setTotal(f.total()));
    }
    return b.build();
  }

  private static CorrelateResponse correlate(CorrelateResult r) {
    CorrelateResponse.Builder b =
        CorrelateResponse.newBuilder().setStepMillis(r.stepNanos() / 1_000_000L);
    for (CorrelateResult.Category c : r.categories()) {
      b.addCategories(
          Category.newBuilder()
              .setName(c.name())
              .setProfileType(c.type().id())
              .setTotal(c.total()));
    }
    for (CorrelateResult.CorrelatedFunction f : r.functions()) {
      CorrelatedFunction.Builder fb =
          CorrelatedFunction.newBuilder()
              .setName(f.name())
              .setScore(f.score())
              .putAllShares(f.shares())
              .addAllHotIn(f.hotIn());
      for (CorrelateResult.Correlation c : f.correlations()) {
        fb.addCorrelations(
            Correlation.newBuilder()
                .setCategory(c.category())
                .setWith(c.with())
                .setKind(c.kind())
                .setR(c.r()));
      }
      b.addFunctions(fb);
    }
    return b.build();
  }
}
