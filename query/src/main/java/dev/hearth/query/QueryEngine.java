package dev.hearth.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hearth.model.LabelMatcher;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import dev.hearth.model.codec.folded.FoldedCodec;
import dev.hearth.model.codec.pprof.PprofEncoder;
import dev.hearth.query.flamegraph.CallTree;
import dev.hearth.query.flamegraph.Flamegraph;
import dev.hearth.query.flamegraph.FlamegraphEncoder;
import dev.hearth.query.flamegraph.FunctionViews;
import dev.hearth.storage.ProfileQueries;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.StackValue;
import dev.hearth.storage.StepTotal;
import dev.hearth.storage.StorageLimitException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Every query operation over the storage SPI. Each read is scoped to the tenant passed in (the
 * transports take it from the authenticated request, never from a parameter). Results of ranges
 * that closed more than {@link QueryLimits#closedAfter()} ago are cached per tenant and query.
 */
public final class QueryEngine {
  private static final Stack UNKNOWN_STACK = Stack.ofFunctionNamesRootFirst(List.of("unknown"));

  private final ProfileQueries storage;
  private final QueryLimits limits;
  private final LongSupplier nowNanos;
  private final StackResolver stacks;
  private final CallTrees trees;
  private final @Nullable Cache<String, Object> results;
  private final Correlator correlator;
  private final FrameSymbolizer symbolizer;

  public QueryEngine(ProfileQueries storage, QueryLimits limits) {
    this(storage, limits, () -> System.currentTimeMillis() * 1_000_000L);
  }

  public QueryEngine(ProfileQueries storage, QueryLimits limits, LongSupplier nowNanos) {
    this(storage, limits, nowNanos, FrameSymbolizer.NONE);
  }

  /**
   * @param symbolizer names frames stored unsymbolised, at query time
   */
  public QueryEngine(
      ProfileQueries storage,
      QueryLimits limits,
      LongSupplier nowNanos,
      FrameSymbolizer symbolizer) {
    this.storage = storage;
    this.symbolizer = symbolizer;
    this.limits = limits;
    this.nowNanos = nowNanos;
    this.stacks = new StackResolver(storage, limits.stackCacheSize(), symbolizer);
    this.trees = new CallTrees(storage, symbolizer, limits);
    this.results =
        limits.resultCacheSize() <= 0
            ? null
            : Caffeine.newBuilder()
                .maximumSize(limits.resultCacheSize())
                .expireAfterWrite(limits.resultCacheTtl())
                .build();
    this.correlator = new Correlator(storage, this::merge);
  }

  public QueryLimits limits() {
    return limits;
  }

  public long nowNanos() {
    return nowNanos.getAsLong();
  }

  private <T> Mono<T> cached(
      Class<T> type, String key, long latestUntil, Supplier<Mono<T>> compute) {
    Cache<String, Object> cache = results;
    if (cache == null || latestUntil > nowNanos.getAsLong() - limits.closedAfter().toNanos()) {
      return bounded(compute.get());
    }
    Object hit = cache.getIfPresent(key);
    if (hit != null) {
      return Mono.just(type.cast(hit));
    }
    return bounded(compute.get()).doOnNext(v -> cache.put(key, v));
  }

  /** Storage's row limit, reported as the query limit it is. */
  private static <T> Mono<T> bounded(Mono<T> query) {
    return query.onErrorMap(
        StorageLimitException.class,
        e ->
            new QueryLimitException(
                "hearth.query.max-rows-to-read",
                e.getMessage()
                    + " (hearth.query.max-rows-to-read); narrow the selection or the time range"));
  }

  private String key(String op, SeriesSelection s, Object... more) {
    StringBuilder sb =
        new StringBuilder(op)
            .append('\0')
            .append(symbolizer.generation()) // names symbolised since are not in older results
            .append('\0')
            .append(s.tenant())
            .append('\0')
            .append(s.type().id())
            .append(s.matchers())
            .append('\0')
            .append(s.fromNanos())
            .append('\0')
            .append(s.untilNanos());
    for (Object o : more) {
      sb.append('\0').append(o);
    }
    return sb.toString();
  }

  /** Profile types with data in the range, sorted by id. */
  public Mono<List<ProfileType>> profileTypes(String tenant, QueryParams.Range range) {
    return bounded(
        storage.profileTypes(tenant, range.fromNanos(), range.untilNanos()).collectList());
  }

  /** Label names of series in the range, of the selector's type if it has one. */
  public Mono<List<String>> labelNames(String tenant, Selector selector, QueryParams.Range range) {
    return bounded(
        storage
            .labelNames(tenant, selector.type(), range.fromNanos(), range.untilNanos())
            .collectList());
  }

  /** Values of label {@code name} among series matching the selector in the range. */
  public Mono<List<String>> labelValues(
      String tenant, String name, Selector selector, QueryParams.Range range) {
    if (!dev.hearth.model.LabelSet.isValidName(name)) {
      return Mono.error(new InvalidQueryException("name", "'" + name + "' is not a label name"));
    }
    return bounded(
        storage
            .labelValues(
                tenant,
                name,
                selector.type(),
                selector.matchers(),
                range.fromNanos(),
                range.untilNanos())
            .collectList());
  }

  /** The merge of a selection with its stacks' frames, within the stack limit. */
  public Mono<Merged> merge(SeriesSelection selection) {
    long max = limits.maxStacks();
    return storage
        .mergedStacks(selection)
        .take(max + 1)
        .collectList()
        .flatMap(
            values -> {
              if (values.size() > max) {
                return Mono.error(tooManyStacks(max));
              }
              List<Long> ids = new ArrayList<>(values.size());
              for (StackValue v : values) {
                ids.add(v.stackId());
              }
              return stacks
                  .resolve(selection.tenant(), ids)
                  .map(
                      frames -> {
                        List<Merged.StackSample> out = new ArrayList<>(values.size());
                        for (StackValue v : values) {
                          StackResolver.Resolved r = frames.get(v.stackId());
                          out.add(
                              r == null
                                  ? new Merged.StackSample(UNKNOWN_STACK, v.value(), v.count())
                                  : new Merged.StackSample(
                                      r.stack(), r.names(), v.value(), v.count()));
                        }
                        return new Merged(
                            selection.type(), selection.fromNanos(), selection.untilNanos(), out);
                      });
            });
  }

  static QueryLimitException tooManyStacks(long max) {
    return new QueryLimitException(
        "hearth.query.max-stacks",
        "the merge has more than "
            + max
            + " distinct stacks (hearth.query.max-stacks); narrow the selection or the time range");
  }

  /**
   * The merged flamegraph of a selection, built from ids and the names table ({@link CallTrees}).
   */
  public Mono<Flamegraph> flamegraph(SeriesSelection selection, int maxNodes) {
    return cached(
        Flamegraph.class,
        key("flamegraph", selection, maxNodes),
        selection.untilNanos(),
        () ->
            trees
                .tree(selection)
                .map(
                    t ->
                        FlamegraphEncoder.encode(
                                t.tree(),
                                selection.type().id(),
                                selection.type().sampleUnit(),
                                maxNodes,
                                false)
                            .withFrameTypes(t.frameTypes())));
  }

  /**
   * The flamegraph of resolved stacks: uploaded files ({@code render}) and the reference builder.
   */
  Flamegraph flamegraph(Merged merged, int maxNodes) {
    CallTree tree = new CallTree();
    Analyses.addToTree(tree, merged, 0, limits.maxTreeNodes());
    return FlamegraphEncoder.encode(
            tree, merged.type().id(), merged.type().sampleUnit(), maxNodes, false)
        .withFrameTypes(Analyses.frameTypes(List.of(merged)));
  }

  /** Left versus right, with both sides' values and counts and a z-score per node. */
  public Mono<Flamegraph> diff(SeriesSelection left, SeriesSelection right, int maxNodes) {
    if (!left.type().equals(right.type())) {
      return Mono.error(
          new InvalidQueryException(
              "rightQuery",
              "profile type "
                  + right.type().id()
                  + " differs from the left side's "
                  + left.type().id()));
    }
    return cached(
        Flamegraph.class,
        key("diff", left, maxNodes) + '\0' + key("", right),
        Math.max(left.untilNanos(), right.untilNanos()),
        () ->
            trees
                .trees(List.of(left, right))
                .map(
                    t ->
                        FlamegraphEncoder.encode(
                                t.tree(),
                                left.type().id(),
                                left.type().sampleUnit(),
                                maxNodes,
                                true)
                            .withFrameTypes(t.frameTypes())));
  }

  /**
   * Totals per step and group. The range is widened to whole steps; without a step, range / 120
   * rounded up to a whole "nice" step. Groups are ranked by total and cut at {@code limit}.
   */
  public Mono<SeriesResult> series(
      SeriesSelection selection, @Nullable Long stepNanos, List<String> groupBy, int limit) {
    long range = selection.untilNanos() - selection.fromNanos();
    long step = stepNanos == null ? Steps.auto(range) : stepNanos;
    if (range / step > 11_000) {
      return Mono.error(
          new InvalidQueryException(
              "step", "gives " + range / step + " points; at most 11000 are allowed"));
    }
    long from = Math.floorDiv(selection.fromNanos(), step) * step;
    long until = Math.ceilDiv(selection.untilNanos(), step) * step;
    SeriesSelection aligned =
        new SeriesSelection(
            selection.tenant(), selection.type(), selection.matchers(), from, until);
    return cached(
        SeriesResult.class,
        key("series", aligned, step, groupBy, limit),
        until,
        () ->
            storage
                .totals(aligned, step, groupBy)
                .collectList()
                .map(totals -> seriesResult(aligned, step, totals, limit)));
  }

  private static SeriesResult seriesResult(
      SeriesSelection s, long step, List<StepTotal> totals, int limit) {
    Map<Map<String, String>, List<StepTotal>> groups = new LinkedHashMap<>();
    for (StepTotal t : totals) {
      groups.computeIfAbsent(t.group().asMap(), k -> new ArrayList<>()).add(t);
    }
    List<SeriesResult.Series> series = new ArrayList<>();
    groups.forEach(
        (labels, points) -> {
          long[] ts = new long[points.size()];
          long[] values = new long[points.size()];
          long[] counts = new long[points.size()];
          long total = 0;
          for (int i = 0; i < points.size(); i++) {
            ts[i] = points.get(i).stepStartNanos() / 1_000_000L;
            values[i] = points.get(i).value();
            counts[i] = points.get(i).count();
            total += values[i];
          }
          series.add(new SeriesResult.Series(labels, ts, values, counts, total));
        });
    series.sort((a, b) -> Long.compare(b.total(), a.total()));
    int omitted = Math.max(0, series.size() - limit);
    return new SeriesResult(
        s.type(),
        step,
        s.fromNanos(),
        s.untilNanos(),
        List.copyOf(series.subList(0, Math.min(limit, series.size()))),
        omitted);
  }

  /** The top functions by self (or total) value. */
  public Mono<TopResult> top(SeriesSelection selection, int limit, boolean byTotal) {
    return cached(
        TopResult.class,
        key("top", selection, limit, byTotal),
        selection.untilNanos(),
        () ->
            trees
                .tree(selection)
                .map(
                    t ->
                        new TopResult(
                            selection.type(),
                            t.tree().total(),
                            Analyses.top(FunctionViews.selfAndTotal(t.tree()), limit, byTotal))));
  }

  /** Callers and callees of one function. */
  public Mono<SandwichResult> sandwich(SeriesSelection selection, String function, int maxNodes) {
    if (function.isBlank()) {
      return Mono.error(new InvalidQueryException("function", "is required"));
    }
    return cached(
        SandwichResult.class,
        key("sandwich", selection, function, maxNodes),
        selection.untilNanos(),
        () ->
            trees
                .tree(selection)
                .map(
                    t -> {
                      CallTree[] trees = FunctionViews.sandwich(t.tree(), function);
                      if (trees[0].size() + trees[1].size() > limits.maxTreeNodes()) {
                        throw Analyses.treeTooLarge(limits.maxTreeNodes());
                      }
                      String type = selection.type().id();
                      String unit = selection.type().sampleUnit();
                      return new SandwichResult(
                          function,
                          FlamegraphEncoder.encode(trees[0], type, unit, maxNodes, false),
                          FlamegraphEncoder.encode(trees[1], type, unit, maxNodes, false));
                    }));
  }

  /**
   * Functions hot in at least two of CPU, off-CPU, allocations and IO, with their shares and the
   * correlations of their per-step series; see {@link Correlator}.
   */
  public Mono<CorrelateResult> correlate(
      String tenant,
      List<LabelMatcher> matchers,
      QueryParams.Range range,
      @Nullable Long stepNanos,
      int topK) {
    long span = range.untilNanos() - range.fromNanos();
    long step = stepNanos == null ? Steps.correlate(span) : stepNanos;
    if (span / step > 11_000) {
      return Mono.error(
          new InvalidQueryException(
              "step", "gives " + span / step + " points; at most 11000 are allowed"));
    }
    SeriesSelection keySel =
        new SeriesSelection(
            tenant, ProfileType.CPU, matchers, range.fromNanos(), range.untilNanos());
    return cached(
        CorrelateResult.class,
        key("correlate", keySel, step, topK),
        range.untilNanos(),
        () -> correlator.correlate(tenant, matchers, range, step, topK));
  }

  /** The merge as a gzip pprof. */
  public Mono<byte[]> pprof(SeriesSelection selection) {
    return bounded(merge(selection)).map(m -> PprofEncoder.encodeGzip(List.of(m.toProfile())));
  }

  /** The merge as folded stacks, one {@code frame;frame value} line per stack. */
  public Mono<byte[]> folded(SeriesSelection selection) {
    return bounded(merge(selection)).map(m -> FoldedCodec.encode(m.toProfile(), false));
  }

  /**
   * The flamegraph of an uploaded file, not stored.
   *
   * @param format {@code pprof}, {@code jfr}, {@code otlp}, {@code otlp-json}, {@code folded}, or
   *     blank to sniff
   * @param profileType which type of a multi-type file (null: the first)
   */
  public Flamegraph render(
      byte[] data, @Nullable String format, @Nullable String profileType, int maxNodes) {
    if (data.length == 0) {
      throw new InvalidQueryException("body", "is empty: upload a profile file");
    }
    ProfileType type =
        QueryParams.blank(profileType)
            ? null
            : QueryParams.selector("profileType", profileType).type();
    return flamegraph(Render.decode(data, format, type), maxNodes);
  }

  /** The flamegraph of an uploaded file as a parsed {@code render} request reads it. */
  public Flamegraph render(byte[] data, dev.hearth.query.request.RenderQuery request) {
    if (data.length == 0) {
      throw new InvalidQueryException("body", "is empty: upload a profile file");
    }
    return flamegraph(
        Render.decode(data, request.format(), request.profileType()), request.maxNodes());
  }
}
