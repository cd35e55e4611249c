package dev.hearth.query.request;

import dev.hearth.storage.SeriesSelection;

/**
 * {@code flamegraph}, {@code pprof} and {@code folded}: the merge of one selection ({@code query}
 * with a profile-type prefix or {@code profileType}, {@code from}, {@code until}) and the
 * flamegraph's {@code maxNodes} (default and cap configured; the exports ignore it).
 */
public record MergeQuery(SeriesSelection selection, int maxNodes) {
  public static MergeQuery parse(Params p, ParseContext c) {
    return new MergeQuery(Parsing.selection(p, c), Parsing.maxNodes(p, c));
  }
}
