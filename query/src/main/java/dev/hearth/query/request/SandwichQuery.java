package dev.hearth.query.request;

import dev.hearth.query.InvalidQueryException;
import dev.hearth.storage.SeriesSelection;

/** {@code sandwich}: callers and callees of {@code function} (required), up to {@code maxNodes}. */
public record SandwichQuery(SeriesSelection selection, String function, int maxNodes) {
  public static SandwichQuery parse(Params p, ParseContext c) {
    SeriesSelection s = Parsing.selection(p, c);
    String function = p.get("function");
    if (function == null || function.isBlank()) {
      throw new InvalidQueryException(p.label("function"), "is required");
    }
    return new SandwichQuery(s, function, Parsing.maxNodes(p, c));
  }
}
