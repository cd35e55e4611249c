package dev.hearth.query;

import dev.hearth.model.Function;
import dev.hearth.model.LabelMatcher;
import dev.hearth.model.ProfileType;
import dev.hearth.storage.FunctionStepValue;
import dev.hearth.storage.ProfileQueries;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.StepTotal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Correlate, as DESIGN.md defines it: for one selection and range, the functions hot (top K by
 * share) in at least two of the categories CPU, off-CPU, allocations and IO; for each, its share
 * per category and the Pearson correlation of its per-step series with its series in the other
 * categories and with each category's total; ranked by the sum of shares.
 *
 * <p>A function's value in a category is its total (stacks containing it, once per stack);
 * functions are matched across categories by name.
 */
final class Correlator {
  /** A category and the profile type read for it. */
  record CategoryType(String name, ProfileType type) {}

  static final List<CategoryType> CATEGORIES =
      List.of(
          new CategoryType("cpu", ProfileType.CPU),
          new CategoryType("offcpu", ProfileType.OFF_CPU),
          new CategoryType("alloc", ProfileType.ALLOC_SPACE),
          new CategoryType("io", ProfileType.BLOCK_IO_BYTES));

  private final ProfileQueries storage;
  private final java.util.function.Function<SeriesSelection, Mono<Merged>> merge;

  Correlator(
      ProfileQueries storage, java.util.function.Function<SeriesSelection, Mono<Merged>> merge) {
    this.storage = storage;
    this.merge = merge;
  }

  /** What one category contributes: per function name its total and ids, and the grand total. */
  private record CategoryData(
      CategoryType category,
      long total,
      Map<String, Long> functionTotals,
      Map<String, Set<Long>> ids,
      Set<String> hot) {}

  Mono<CorrelateResult> correlate(
      String tenant, List<LabelMatcher> matchers, QueryParams.Range range, long step, int topK) {
    return Flux.fromIterable(CATEGORIES)
        .concatMap(
            c ->
                merge
                    .apply(selection(tenant, c, matchers, range))
                    .map(m -> categoryData(c, m, topK)))
        .collectList()
        .flatMap(data -> withSeries(tenant, matchers, range, step, data));
  }

  private static SeriesSelection selection(
      String tenant, CategoryType c, List<LabelMatcher> matchers, QueryParams.Range range) {
    return new SeriesSelection(tenant, c.type(), matchers, range.fromNanos(), range.untilNanos());
  }

  private static CategoryData categoryData(CategoryType c, Merged m, int topK) {
    Map<String, Long> totals = new HashMap<>();
    Analyses.selfAndTotal(m).forEach((name, v) -> totals.put(name, v[1]));
    Map<String, Set<Long>> ids = new HashMap<>();
    for (Merged.StackSample s : m.stacks()) {
      for (Function f : s.stack().functionsLeafFirst()) {
        ids.computeIfAbsent(f.name(), k -> new HashSet<>()).add(f.id());
      }
    }
    List<Map.Entry<String, Long>> ranked = new ArrayList<>(totals.entrySet());
    ranked.removeIf(e -> e.getValue() <= 0);
    ranked.sort(
        (a, b) -> {
          int cmp = Long.compare(b.getValue(), a.getValue());
          return cmp != 0 ? cmp : a.getKey().compareTo(b.getKey());
        });
    Set<String> hot = new HashSet<>();
    for (int i = 0; i < Math.min(topK, ranked.size()); i++) {
      hot.add(ranked.get(i).getKey());
    }
    return new CategoryData(c, m.totalValue(), totals, ids, hot);
  }

  private Mono<CorrelateResult> withSeries(
      String tenant,
      List<LabelMatcher> matchers,
      QueryParams.Range range,
      long step,
      List<CategoryData> data) {
    Map<String, Integer> hotCount = new HashMap<>();
    for (CategoryData d : data) {
      for (String name : d.hot()) {
        hotCount.merge(name, 1, Integer::sum);
      }
    }
    List<String> candidates = new ArrayList<>();
    hotCount.forEach(
        (name, n) -> {
          if (n >= 2) {
            candidates.add(name);
          }
        });
    long first = Math.floorDiv(range.fromNanos(), step) * step;
    int points = (int) Math.ceilDiv(range.untilNanos() - first, step);
    List<CorrelateResult.Category> categories = new ArrayList<>();
    for (CategoryData d : data) {
      categories.add(
          new CorrelateResult.Category(d.category().name(), d.category().type(), d.total()));
    }
    if (candidates.isEmpty()) {
      return Mono.just(new CorrelateResult(step, categories, List.of()));
    }
    return Flux.fromIterable(data)
        .concatMap(
            d -> {
              SeriesSelection sel = selection(tenant, d.category(), matchers, range);
              Map<Long, String> nameOf = new HashMap<>();
              for (String name : candidates) {
                for (long id : d.ids().getOrDefault(name, Set.of())) {
                  nameOf.put(id, name);
                }
              }
              Mono<Map<String, double[]>> functions =
                  nameOf.isEmpty()
                      ? Mono.just(Map.of())
                      : storage
                          .functionSteps(sel, step, nameOf.keySet())
                          .collectList()
                          .map(values -> functionSeries(values, nameOf, first, step, points));
              Mono<double[]> total =
                  storage
                      .totals(sel, step, List.of())
                      .collectList()
                      .map(values -> totalSeries(values, first, step, points));
              return functions.zipWith(total);
            })
        .collectList()
        .map(
            series -> {
              List<CorrelateResult.CorrelatedFunction> out = new ArrayList<>();
              for (String name : candidates) {
                out.add(function(name, data, series));
              }
              out.sort(
                  (a, b) -> {
                    int cmp = Double.compare(b.score(), a.score());
                    return cmp != 0 ? cmp : a.name().compareTo(b.name());
                  });
              return new CorrelateResult(step, categories, out);
            });
  }

  private static Map<String, double[]> functionSeries(
      List<FunctionStepValue> values, Map<Long, String> nameOf, long first, long step, int n) {
    Map<String, double[]> out = new HashMap<>();
    for (FunctionStepValue v : values) {
      int i = (int) Math.floorDiv(v.stepStartNanos() - first, step);
      String name = nameOf.get(v.functionId());
      if (name != null && i >= 0 && i < n) {
        out.computeIfAbsent(name, k -> new double[n])[i] += v.value();
      }
    }
    return out;
  }

  private static double[] totalSeries(List<StepTotal> values, long first, long step, int n) {
    double[] out = new double[n];
    for (StepTotal t : values) {
      int i = (int) Math.floorDiv(t.stepStartNanos() - first, step);
      if (i >= 0 && i < n) {
        out[i] += t.value();
      }
    }
    return out;
  }

  private static CorrelateResult.CorrelatedFunction function(
      String name,
      List<CategoryData> data,
      List<reactor.util.function.Tuple2<Map<String, double[]>, double[]>> series) {
    Map<String, Double> shares = new LinkedHashMap<>();
    List<String> hotIn = new ArrayList<>();
    double score = 0;
    for (CategoryData d : data) {
      long v = d.functionTotals().getOrDefault(name, 0L);
      if (v > 0 && d.total() > 0) {
        double share = (double) v / d.total();
        shares.put(d.category().name(), share);
        score += share;
      }
      if (d.hot().contains(name)) {
        hotIn.add(d.category().name());
      }
    }
    List<CorrelateResult.Correlation> correlations = new ArrayList<>();
    for (int a = 0; a < data.size(); a++) {
      double[] mine = series.get(a).getT1().get(name);
      if (mine == null) {
        continue;
      }
      String category = data.get(a).category().name();
      for (int b = a + 1; b < data.size(); b++) {
        double[] theirs = series.get(b).getT1().get(name);
        if (theirs != null) {
          add(correlations, category, data.get(b).category().name(), "function", mine, theirs);
        }
      }
      for (int b = 0; b < data.size(); b++) {
        add(
            correlations,
            category,
            data.get(b).category().name(),
            "total",
            mine,
            series.get(b).getT2());
      }
    }
    return new CorrelateResult.CorrelatedFunction(name, score, shares, hotIn, correlations);
  }

  private static void add(
      List<CorrelateResult.Correlation> out,
      String category,
      String with,
      String kind,
      double[] x,
      double[] y) {
    double r = Analyses.pearson(x, y);
    if (!Double.isNaN(r)) {
      out.add(new CorrelateResult.Correlation(category, with, kind, r));
    }
  }
}
