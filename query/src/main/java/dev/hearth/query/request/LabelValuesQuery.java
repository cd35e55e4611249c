package dev.hearth.query.request;

import dev.hearth.model.LabelSet;
import dev.hearth.query.InvalidQueryException;
import dev.hearth.query.QueryParams.Range;
import dev.hearth.query.Selector;

/** {@code label-values}: the values of label {@code name} among series matching {@code query}. */
public record LabelValuesQuery(String tenant, String name, Selector selector, Range range) {
  public static LabelValuesQuery parse(Params p, ParseContext c) {
    String name = p.get("name");
    if (name == null || name.isBlank()) {
      throw new InvalidQueryException(
          p.label("name"), "is required: the label whose values to list");
    }
    name = name.strip();
    if (!LabelSet.isValidName(name)) {
      throw new InvalidQueryException(p.label("name"), "'" + name + "' is not a label name");
    }
    return new LabelValuesQuery(
        c.tenant(), name, Parsing.selector(p, "query"), Parsing.range(p, c));
  }
}
