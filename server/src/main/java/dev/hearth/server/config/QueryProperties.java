package dev.hearth.server.config;

import dev.hearth.query.QueryLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds on the work of one query, and the query caches.
 *
 * @param defaultMaxNodes flamegraph nodes sent when a request gives no {@code maxNodes}
 * @param maxNodes the largest {@code maxNodes} a request may ask for
 * @param maxStacks distinct stacks one merge may return before the query fails (422)
 * @param maxTreeNodes call-tree nodes one merge may build before the query fails (422)
 * @param maxRowsToRead rows one ClickHouse read may scan before the query fails (422); 0: no limit
 * @param resultCacheSize results of queries over closed ranges kept; 0 turns the cache off
 * @param resultCacheTtl how long a cached result is kept
 * @param closedAfter how long after its end a range counts as closed, so its results are cached
 * @param stackCacheSize resolved stacks (pprof, folded, correlate) and, each, functions and
 *     locations of the flamegraph names table kept (all content-addressed, never stale)
 */
@ConfigurationProperties("hearth.query")
public record QueryProperties(
    @DefaultValue("8192") int defaultMaxNodes,
    @DefaultValue("65536") int maxNodes,
    @DefaultValue("2000000") long maxStacks,
    @DefaultValue("5000000") long maxTreeNodes,
    @DefaultValue("2000000000") long maxRowsToRead,
    @DefaultValue("1000") long resultCacheSize,
    @DefaultValue("10m") Duration resultCacheTtl,
    @DefaultValue("1m") Duration closedAfter,
    @DefaultValue("1000000") long stackCacheSize) {

  /** The query core's limits these settings describe. */
  public QueryLimits limits() {
    return new QueryLimits(
        defaultMaxNodes,
        maxNodes,
        maxStacks,
        maxTreeNodes,
        resultCacheSize,
        resultCacheTtl,
        closedAfter,
        stackCacheSize);
  }

  /** Every problem with these settings, each naming its key. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (defaultMaxNodes < 2) {
      out.add("hearth.query.default-max-nodes must be at least 2 (is " + defaultMaxNodes + ")");
    }
    if (maxNodes < defaultMaxNodes) {
      out.add(
          "hearth.query.max-nodes ("
              + maxNodes
              + ") must be at least hearth.query.default-max-nodes ("
              + defaultMaxNodes
              + ")");
    }
    if (maxStacks < 1) {
      out.add("hearth.query.max-stacks must be positive (is " + maxStacks + ")");
    }
    if (maxTreeNodes < 1) {
      out.add("hearth.query.max-tree-nodes must be positive (is " + maxTreeNodes + ")");
    }
    if (maxRowsToRead < 0) {
      out.add("hearth.query.max-rows-to-read must not be negative (0 means no limit)");
    }
    if (resultCacheSize < 0) {
      out.add("hearth.query.result-cache-size must not be negative");
    }
    if (stackCacheSize < 0) {
      out.add("hearth.query.stack-cache-size must not be negative");
    }
    if (resultCacheTtl.isNegative() || resultCacheTtl.isZero()) {
      out.add("hearth.query.result-cache-ttl must be a positive duration");
    }
    if (closedAfter.isNegative()) {
      out.add("hearth.query.closed-after must not be negative");
    }
    return out;
  }
}
