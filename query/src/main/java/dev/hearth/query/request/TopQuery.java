package dev.hearth.query.request;

import dev.hearth.query.InvalidQueryException;
import dev.hearth.storage.SeriesSelection;

/**
 * {@code top}: the {@code limit} (default 100, at most {@value #MAX_LIMIT}) functions with the
 * largest {@code orderBy} value, {@code self} (default) or {@code total}.
 */
public record TopQuery(SeriesSelection selection, int limit, boolean byTotal) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 100_000;

  public static TopQuery parse(Params p, ParseContext c) {
    SeriesSelection s = Parsing.selection(p, c);
    String order = p.get("orderBy");
    order = order == null || order.isBlank() ? "self" : order.strip();
    if (!order.equals("self") && !order.equals("total")) {
      throw new InvalidQueryException(
          p.label("orderBy"), "must be self or total, not '" + order + "'");
    }
    return new TopQuery(
        s, Parsing.positive(p, "limit", DEFAULT_LIMIT, MAX_LIMIT), order.equals("total"));
  }
}
