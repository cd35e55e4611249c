package dev.hearth.query.request;

import dev.hearth.model.LabelMatcher;
import dev.hearth.query.QueryParams.Range;
import dev.hearth.query.Steps;
import java.util.List;

/**
 * {@code correlate}: functions hot in several categories for the matchers of {@code query} (its
 * profile type, if any, is ignored), per {@code step} (default range / 120 in whole seconds), the
 * top {@code topK} (default 50, at most {@value #MAX_TOP_K}) per category.
 */
public record CorrelateQuery(
    String tenant, List<LabelMatcher> matchers, Range range, long stepNanos, int topK) {
  public static final int DEFAULT_TOP_K = 50;
  public static final int MAX_TOP_K = 10_000;

  public CorrelateQuery {
    matchers = List.copyOf(matchers);
  }

  public static CorrelateQuery parse(Params p, ParseContext c) {
    List<LabelMatcher> matchers = Parsing.selector(p, "query").matchers();
    Range range = Parsing.range(p, c);
    long span = range.untilNanos() - range.fromNanos();
    Long given = Parsing.step(p);
    long step = given == null ? Steps.correlate(span) : given;
    Parsing.checkPoints(p, span, step);
    return new CorrelateQuery(
        c.tenant(), matchers, range, step, Parsing.positive(p, "topK", DEFAULT_TOP_K, MAX_TOP_K));
  }
}
