package dev.hearth.query.request;

import dev.hearth.query.Steps;
import dev.hearth.storage.SeriesSelection;
import java.util.List;

/**
 * {@code series}: totals per {@code step} (default: range / 120 rounded up to a "nice" step; at
 * least 1 s; at most 11,000 points) and per group of {@code groupBy} labels, the {@code limit}
 * largest groups (default 20, at most {@value #MAX_LIMIT}).
 */
public record SeriesQuery(
    SeriesSelection selection, long stepNanos, List<String> groupBy, int limit) {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 10_000;

  public SeriesQuery {
    groupBy = List.copyOf(groupBy);
  }

  public static SeriesQuery parse(Params p, ParseContext c) {
    SeriesSelection s = Parsing.selection(p, c);
    long range = s.untilNanos() - s.fromNanos();
    Long given = Parsing.step(p);
    long step = given == null ? Steps.auto(range) : given;
    Parsing.checkPoints(p, range, step);
    return new SeriesQuery(
        s, step, Parsing.groupBy(p), Parsing.positive(p, "limit", DEFAULT_LIMIT, MAX_LIMIT));
  }
}
