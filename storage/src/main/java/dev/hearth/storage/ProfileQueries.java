package dev.hearth.storage;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
}
