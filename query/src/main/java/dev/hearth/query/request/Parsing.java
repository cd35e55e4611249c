package dev.hearth.query.request;

import dev.hearth.query.QueryParams;
import dev.hearth.query.QueryParams.Range;
import dev.hearth.query.Selector;
import dev.hearth.storage.SeriesSelection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The parameter rules the requests share, each failure naming the client's field. */
final class Parsing {
  private Parsing() {}

  static Range range(Params p, ParseContext c, String from, String until) {
    return QueryParams.range(
        p.label(from), p.get(from), p.label(until), p.get(until), c.nowNanos());
  }

  static Range range(Params p, ParseContext c) {
    return range(p, c, "from", "until");
  }

  static Selector selector(Params p, String name) {
    return QueryParams.selector(p.label(name), p.get(name));
  }

  /** A selection of one profile type: a prefix of {@code query}, or {@code profileType}. */
  static SeriesSelection selection(
      Params p, ParseContext c, String query, @Nullable String profileType, Range range) {
    return QueryParams.selection(
        c.tenant(),
        p.label(query),
        p.get(query),
        profileType == null ? "profileType" : p.label(profileType),
        profileType == null ? null : p.get(profileType),
        range);
  }

  static SeriesSelection selection(Params p, ParseContext c) {
    return selection(p, c, "query", "profileType", range(p, c));
  }

  static int maxNodes(Params p, ParseContext c) {
    return QueryParams.maxNodes(p.label("maxNodes"), p.get("maxNodes"), c.limits());
  }

  static int positive(Params p, String name, int fallback, int max) {
    return QueryParams.positive(p.label(name), p.get(name), fallback, max);
  }

  static @Nullable Long step(Params p) {
    return QueryParams.step(p.label("step"), p.get("step"));
  }

  static List<String> groupBy(Params p) {
    return QueryParams.groupBy(p.label("groupBy"), p.get("groupBy"));
  }

  /** Fails when {@code step} over {@code rangeNanos} gives more points than a series may have. */
  static void checkPoints(Params p, long rangeNanos, long step) {
    if (rangeNanos / step > MAX_POINTS) {
      throw new dev.hearth.query.InvalidQueryException(
          p.label("step"),
          "gives " + rangeNanos / step + " points; at most " + MAX_POINTS + " are allowed");
    }
  }

  static final int MAX_POINTS = 11_000;
}
