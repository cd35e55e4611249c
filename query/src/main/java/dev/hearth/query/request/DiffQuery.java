package dev.hearth.query.request;

import dev.hearth.query.InvalidQueryException;
import dev.hearth.storage.SeriesSelection;

/**
 * {@code diff}: {@code leftQuery}/{@code leftFrom}/{@code leftUntil} against {@code rightQuery}/
 * {@code rightFrom}/{@code rightUntil}, both of one profile type, and {@code maxNodes}.
 */
public record DiffQuery(SeriesSelection left, SeriesSelection right, int maxNodes) {
  public static DiffQuery parse(Params p, ParseContext c) {
    SeriesSelection left =
        Parsing.selection(p, c, "leftQuery", null, Parsing.range(p, c, "leftFrom", "leftUntil"));
    SeriesSelection right =
        Parsing.selection(p, c, "rightQuery", null, Parsing.range(p, c, "rightFrom", "rightUntil"));
    if (!left.type().equals(right.type())) {
      throw new InvalidQueryException(
          p.label("rightQuery"),
          "profile type "
              + right.type().id()
              + " differs from the left side's "
              + left.type().id());
    }
    return new DiffQuery(left, right, Parsing.maxNodes(p, c));
  }
}
