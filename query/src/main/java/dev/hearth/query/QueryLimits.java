package dev.hearth.query;

import java.time.Duration;

/**
 * How much work one query may do, and what the core caches.
 *
 * @param defaultMaxNodes flamegraph nodes sent when the request does not say ({@code maxNodes})
 * @param maxNodes the largest {@code maxNodes} a request may ask for
 * @param maxStacks distinct stacks one merge may return before it fails with a clear message
 * @param maxTreeNodes call-tree nodes one merge may build (before {@code maxNodes} folding)
 * @param resultCacheSize results of queries over closed time ranges kept; 0 turns the cache off
 * @param resultCacheTtl how long a cached result is kept
 * @param closedAfter how long after its end a range counts as closed (late data has arrived)
 * @param stackCacheSize resolved stacks (frames of a stack id, for pprof, folded and correlate)
 *     kept per process, and as many functions and as many locations of the flamegraph names table;
 *     all are content-addressed, so entries never go stale
 */
public record QueryLimits(
    int defaultMaxNodes,
    int maxNodes,
    long maxStacks,
    long maxTreeNodes,
    long resultCacheSize,
    Duration resultCacheTtl,
    Duration closedAfter,
    long stackCacheSize) {

  public static QueryLimits defaults() {
    return new QueryLimits(
        8192,
        65_536,
        2_000_000,
        5_000_000,
        1000,
        Duration.ofMinutes(10),
        Duration.ofMinutes(1),
        1_000_000);
  }

  public QueryLimits withMaxStacks(long n) {
    return new QueryLimits(
        defaultMaxNodes,
        maxNodes,
        n,
        maxTreeNodes,
        resultCacheSize,
        resultCacheTtl,
        closedAfter,
        stackCacheSize);
  }

  public QueryLimits withResultCacheSize(long n) {
    return new QueryLimits(
        defaultMaxNodes,
        maxNodes,
        maxStacks,
        maxTreeNodes,
        n,
        resultCacheTtl,
        closedAfter,
        stackCacheSize);
  }
}
