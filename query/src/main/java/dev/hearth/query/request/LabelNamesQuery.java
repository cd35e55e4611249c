package dev.hearth.query.request;

import dev.hearth.query.QueryParams.Range;
import dev.hearth.query.Selector;

/** {@code labels}: label names in a range, of the selector's ({@code query}) type if it has one. */
public record LabelNamesQuery(String tenant, Selector selector, Range range) {
  public static LabelNamesQuery parse(Params p, ParseContext c) {
    return new LabelNamesQuery(c.tenant(), Parsing.selector(p, "query"), Parsing.range(p, c));
  }
}
