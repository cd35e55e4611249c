package dev.hearth.server.query;

import com.google.protobuf.ByteString;
import dev.hearth.model.ProfileType;
import dev.hearth.query.CorrelateResult;
import dev.hearth.query.InvalidQueryException;
import dev.hearth.query.QueryEngine;
import dev.hearth.query.QueryLimitException;
import dev.hearth.query.QueryParams;
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
import dev.hearth.server.security.Tenants;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.StorageUnavailableException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Hearth's {@code QueryService} on the gRPC listener: the REST operations with the same parameter
 * strings and the same results, mapped to the messages of {@code query.proto}. Errors map once: bad
 * parameters {@code INVALID_ARGUMENT}, limits {@code RESOURCE_EXHAUSTED}, storage down {@code
 * UNAVAILABLE}, anything else {@code INTERNAL} with one log line.
 */
@Service
public class QueryGrpcService extends QueryServiceGrpc.QueryServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(QueryGrpcService.class);

  private final QueryEngine engine;

  public QueryGrpcService(QueryEngine engine) {
    this.engine = engine;
  }

  /** Runs {@code call} for the current tenant and answers the observer once. */
  private <T, R> void answer(
      StreamObserver<R> observer, Function<String, Mono<T>> call, Function<T, R> toMessage) {
    Mono<T> result;
    try {
      result = call.apply(Tenants.ofGrpc());
    } catch (RuntimeException e) {
      observer.onError(status(e));
      return;
    }
    result.subscribe(
        value -> {
          try {
            observer.onNext(toMessage.apply(value));
            observer.onCompleted();
          } catch (RuntimeException e) {
            observer.onError(status(e));
          }
        },
        e -> observer.onError(status(e)));
  }

  private static RuntimeException status(Throwable e) {
    if (e instanceof InvalidQueryException) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof QueryLimitException) {
      return Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof StorageUnavailableException) {
      return Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException();
    }
    log.error("query failed: {}", e.toString());
    return Status.INTERNAL.withDescription("query failed: " + e.getMessage()).asRuntimeException();
  }

  private QueryParams.Range range(String from, String until) {
    return QueryParams.range("from", from, "until", until, engine.nowNanos());
  }

  private SeriesSelection selection(String tenant, SelectRequest r) {
    return QueryParams.selection(
        tenant, "query", r.getQuery(), r.getProfileType(), range(r.getFrom(), r.getUntil()));
  }

  @Override
  public void profileTypes(
      ProfileTypesRequest request, StreamObserver<ProfileTypesResponse> observer) {
    answer(
        observer,
        tenant -> engine.profileTypes(tenant, range(request.getFrom(), request.getUntil())),
        types -> {
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
        });
  }

  @Override
  public void labelNames(LabelNamesRequest request, StreamObserver<LabelNamesResponse> observer) {
    answer(
        observer,
        tenant ->
            engine.labelNames(
                tenant,
                QueryParams.selector("query", request.getQuery()),
                range(request.getFrom(), request.getUntil())),
        names -> LabelNamesResponse.newBuilder().addAllNames(names).build());
  }

  @Override
  public void labelValues(
      LabelValuesRequest request, StreamObserver<LabelValuesResponse> observer) {
    answer(
        observer,
        tenant ->
            engine.labelValues(
                tenant,
                request.getName(),
                QueryParams.selector("query", request.getQuery()),
                range(request.getFrom(), request.getUntil())),
        values -> LabelValuesResponse.newBuilder().addAllValues(values).build());
  }

  @Override
  public void flamegraph(SelectRequest request, StreamObserver<FlamegraphResult> observer) {
    answer(
        observer,
        tenant ->
            engine.flamegraph(
                selection(tenant, request),
                QueryParams.maxNodes(request.getMaxNodes(), engine.limits())),
        QueryGrpcService::flamegraph);
  }

  @Override
  public void diff(DiffRequest request, StreamObserver<FlamegraphResult> observer) {
    answer(
        observer,
        tenant -> {
          long now = engine.nowNanos();
          SeriesSelection left =
              QueryParams.selection(
                  tenant,
                  "leftQuery",
                  request.getLeftQuery(),
                  null,
                  QueryParams.range(
                      "leftFrom", request.getLeftFrom(), "leftUntil", request.getLeftUntil(), now));
          SeriesSelection right =
              QueryParams.selection(
                  tenant,
                  "rightQuery",
                  request.getRightQuery(),
                  null,
                  QueryParams.range(
                      "rightFrom",
                      request.getRightFrom(),
                      "rightUntil",
                      request.getRightUntil(),
                      now));
          return engine.diff(
              left, right, QueryParams.maxNodes(request.getMaxNodes(), engine.limits()));
        },
        QueryGrpcService::flamegraph);
  }

  @Override
  public void series(SeriesRequest request, StreamObserver<SeriesResponse> observer) {
    answer(
        observer,
        tenant ->
            engine.series(
                QueryParams.selection(
                    tenant,
                    "query",
                    request.getQuery(),
                    null,
                    range(request.getFrom(), request.getUntil())),
                QueryParams.step(request.getStep()),
                QueryParams.groupBy(String.join(",", request.getGroupByList())),
                request.getLimit() == 0 ? 20 : request.getLimit()),
        QueryGrpcService::series);
  }

  @Override
  public void top(TopRequest request, StreamObserver<TopResponse> observer) {
    answer(
        observer,
        tenant -> {
          String order = request.getOrderBy().isEmpty() ? "self" : request.getOrderBy();
          if (!order.equals("self") && !order.equals("total")) {
            throw new InvalidQueryException("order_by", "must be self or total");
          }
          return engine.top(
              QueryParams.selection(
                  tenant,
                  "query",
                  request.getQuery(),
                  null,
                  range(request.getFrom(), request.getUntil())),
              request.getLimit() == 0 ? 100 : request.getLimit(),
              order.equals("total"));
        },
        QueryGrpcService::top);
  }

  @Override
  public void sandwich(SandwichRequest request, StreamObserver<SandwichResponse> observer) {
    answer(
        observer,
        tenant ->
            engine.sandwich(
                QueryParams.selection(
                    tenant,
                    "query",
                    request.getQuery(),
                    null,
                    range(request.getFrom(), request.getUntil())),
                request.getFunction(),
                QueryParams.maxNodes(request.getMaxNodes(), engine.limits())),
        r ->
            SandwichResponse.newBuilder()
                .setFunction(r.function())
                .setCallers(flamegraph(r.callers()))
                .setCallees(flamegraph(r.callees()))
                .build());
  }

  @Override
  public void correlate(CorrelateRequest request, StreamObserver<CorrelateResponse> observer) {
    answer(
        observer,
        tenant ->
            engine.correlate(
                tenant,
                QueryParams.selector("query", request.getQuery()).matchers(),
                range(request.getFrom(), request.getUntil()),
                QueryParams.step(request.getStep()),
                request.getTopK() == 0 ? 50 : request.getTopK()),
        QueryGrpcService::correlate);
  }

  @Override
  public void pprof(SelectRequest request, StreamObserver<RawResponse> observer) {
    answer(
        observer,
        tenant -> engine.pprof(selection(tenant, request)),
        bytes -> raw("application/octet-stream", bytes));
  }

  @Override
  public void folded(SelectRequest request, StreamObserver<RawResponse> observer) {
    answer(
        observer,
        tenant -> engine.folded(selection(tenant, request)),
        bytes -> raw("text/plain; charset=utf-8", bytes));
  }

  @Override
  public void render(RenderRequest request, StreamObserver<FlamegraphResult> observer) {
    Supplier<Flamegraph> render =
        () ->
            engine.render(
                request.getData().toByteArray(),
                request.getFormat(),
                request.getProfileType(),
                QueryParams.maxNodes(request.getMaxNodes(), engine.limits()));
    answer(observer, tenant -> Mono.fromSupplier(render), QueryGrpcService::flamegraph);
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
            .addAllFrameTypes(fg.frameTypes())
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
