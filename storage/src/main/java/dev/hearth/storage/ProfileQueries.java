package dev.hearth.storage;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads over stored profiles. Every read is scoped to one tenant; another tenant's data is never
 * visible. Ranges are half-open {@code [from, until)} in Unix nanoseconds. Errors are {@link
 * StorageUnavailableException} or {@link StorageException}.
 */
public interface ProfileQueries {

  /**
   * Per stack, the combined value and summed count of the selected series over the range; stacks
   * whose value and count are both zero are left out. Order is unspecified. Values combine as the
   * type's {@link dev.hearth.model.Aggregation} says: delta types sum; for gauge types each series
   * is averaged over its profiles in the range and the series' averages are summed.
   */
  Flux<StackValue> mergedStacks(SeriesSelection selection);

  /**
   * Totals per step (and per group of {@code groupBy} label values), ordered by group then step.
   * Steps with no data are absent. Values combine per step as in {@link #mergedStacks}. Long ranges
   * may be served from rollups; the results are the same.
   *
   * @param stepNanos step width, at least one second
   * @param groupBy label names to group by; empty for one group
   */
  Flux<StepTotal> totals(SeriesSelection selection, long stepNanos, List<String> groupBy);

  /** Profile types with data in the range, sorted by id. */
  Flux<ProfileType> profileTypes(String tenant, long fromNanos, long untilNanos);

  /**
   * Label names of series with data in the range, sorted.
   *
   * @param type restrict to one profile type, or null for all
   */
  Flux<String> labelNames(
      String tenant, @Nullable ProfileType type, long fromNanos, long untilNanos);

  /**
   * Values of one label among series with data in the range matching {@code matchers}, sorted.
   *
   * @param type restrict to one profile type, or null for all
   */
  Flux<String> labelValues(
      String tenant,
      String name,
      @Nullable ProfileType type,
      List<LabelMatcher> matchers,
      long fromNanos,
      long untilNanos);

  /**
   * The stacks with the given ids, rebuilt with their locations, lines, functions and mappings; ids
   * that are unknown for the tenant are absent from the map.
   */
  Mono<Map<Long, Stack>> stacks(String tenant, Collection<Long> stackIds);

  /**
   * Per stack, what {@link #mergedStacks} gives with the stack's function and location ids from the
   * {@code stacks} table, so a caller can build a call tree without rebuilding any stack's frames.
   * At most {@code limit} stacks are returned (a caller asks for one more than it accepts to detect
   * an overflow). Stacks whose dictionary row is not visible come back with {@code found} false.
   *
   * <p>The default reads {@link #mergedStacks} and rebuilds the stacks; backends override it with
   * one query.
   */
  default Flux<StackFrames> mergedFrames(SeriesSelection selection, long limit) {
    return mergedStacks(selection)
        .take(limit)
        .collectList()
        .flatMapMany(
            values ->
                stacks(selection.tenant(), values.stream().map(StackValue::stackId).toList())
                    .flatMapIterable(
                        frames -> {
                          List<StackFrames> out = new ArrayList<>(values.size());
                          for (StackValue v : values) {
                            Stack stack = frames.get(v.stackId());
                            if (stack == null) {
                              out.add(
                                  new StackFrames(
                                      v.stackId(),
                                      v.value(),
                                      v.count(),
                                      new long[0],
                                      new long[0],
                                      false));
                              continue;
                            }
                            long[] functions =
                                stack.functionsLeafFirst().stream()
                                    .mapToLong(dev.hearth.model.Function::id)
                                    .toArray();
                            long[] locations =
                                stack.locations().stream()
                                    .mapToLong(dev.hearth.model.Location::id)
                                    .toArray();
                            out.add(
                                new StackFrames(
                                    v.stackId(), v.value(), v.count(), functions, locations, true));
                          }
                          return out;
                        }));
  }

  /**
   * The functions with the given ids, each with the frame type of one of its locations written in
   * {@code [fromNanos, untilNanos)}'s days; ids unknown for the tenant are absent.
   */
  Mono<Map<Long, FunctionInfo>> functions(
      String tenant, Collection<Long> functionIds, long fromNanos, long untilNanos);

  /**
   * The locations with the given ids, rebuilt with their lines, functions and mappings; ids unknown
   * for the tenant are absent.
   */
  Mono<Map<Long, dev.hearth.model.Location>> locations(String tenant, Collection<Long> locationIds);

  /**
   * The locations written in {@code [fromNanos, untilNanos)}'s days that hold exactly one line,
   * whose function is one of {@code functionIds}, rebuilt with their functions and mappings. This
   * is how a merge finds its unsymbolised frames from their synthetic functions without reading
   * every location of the stacks that hold them.
   */
  Mono<Map<Long, dev.hearth.model.Location>> oneLineLocations(
      String tenant, Collection<Long> functionIds, long fromNanos, long untilNanos);

  /**
   * Per function and step, the combined value of the selected stacks that contain the function (a
   * stack counts once however often the function recurs in it, inlined frames included), ordered by
   * function id then step. Steps start at multiples of {@code stepNanos} since the epoch (the first
   * may start before the range; only data in the range counts); steps with no value are absent, as
   * are functions not in {@code functionIds}. Values combine per step as in {@link #mergedStacks}.
   *
   * <p>The default reads one merge per step and the frames of its stacks; backends override it with
   * one query.
   *
   * @param stepNanos step width, at least one second
   */
  default Flux<FunctionStepValue> functionSteps(
      SeriesSelection selection, long stepNanos, Collection<Long> functionIds) {
    if (stepNanos < 1_000_000_000L) {
      return Flux.error(new IllegalArgumentException("step must be at least one second"));
    }
    Set<Long> wanted = new HashSet<>(functionIds);
    List<SeriesSelection> steps = new ArrayList<>();
    for (long start = Math.floorDiv(selection.fromNanos(), stepNanos) * stepNanos;
        start < selection.untilNanos();
        start += stepNanos) {
      steps.add(
          new SeriesSelection(
              selection.tenant(),
              selection.type(),
              selection.matchers(),
              Math.max(start, selection.fromNanos()),
              Math.min(start + stepNanos, selection.untilNanos())));
    }
    return Flux.fromIterable(steps)
        .concatMap(
            step ->
                mergedStacks(step)
                    .collectList()
                    .flatMap(
                        values ->
                            stacks(
                                    selection.tenant(),
                                    values.stream().map(StackValue::stackId).toList())
                                .map(
                                    frames -> {
                                      Map<Long, Long> sums = new HashMap<>();
                                      for (StackValue v : values) {
                                        Stack stack = frames.get(v.stackId());
                                        if (stack == null) {
                                          continue;
                                        }
                                        Set<Long> seen = new HashSet<>();
                                        for (var f : stack.functionsLeafFirst()) {
                                          if (wanted.contains(f.id()) && seen.add(f.id())) {
                                            sums.merge(f.id(), v.value(), Long::sum);
                                          }
                                        }
                                      }
                                      long stepStart =
                                          Math.floorDiv(step.fromNanos(), stepNanos) * stepNanos;
                                      return sums.entrySet().stream()
                                          .map(
                                              e ->
                                                  new FunctionStepValue(
                                                      e.getKey(), stepStart, e.getValue()))
                                          .toList();
                                    })))
        .flatMapIterable(list -> list)
        .collectList()
        .flatMapIterable(
            all -> {
              List<FunctionStepValue> sorted = new ArrayList<>(all);
              sorted.sort(
                  java.util.Comparator.comparingLong(FunctionStepValue::functionId)
                      .thenComparingLong(FunctionStepValue::stepStartNanos));
              return sorted;
            });
  }
}
