package dev.hearth.model;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * One PromQL-style matcher of a selector: {@code name="v"}, {@code name!="v"}, {@code name=~"re"}
 * or {@code name!~"re"}. Regexes are anchored (they must match the whole value), and an absent
 * label matches as the empty string, both as in Prometheus.
 *
 * @param name label name
 * @param op how to compare
 * @param value the literal or the regular expression
 */
public record LabelMatcher(String name, Op op, String value) {

  /** The four comparison operators. */
  public enum Op {
    EQ("="),
    NEQ("!="),
    RE("=~"),
    NRE("!~");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  public LabelMatcher {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(value, "value");
    if (!LabelSet.isValidName(name)) {
      throw new IllegalArgumentException("invalid label name '" + name + "' in matcher");
    }
    if (op == Op.RE || op == Op.NRE) {
      try {
        Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid regular expression for " + name + ": " + e.getDescription(), e);
      }
    }
  }

  public static LabelMatcher eq(String name, String value) {
    return new LabelMatcher(name, Op.EQ, value);
  }

  /** Whether the label set satisfies this matcher. */
  public boolean matches(LabelSet labels) {
    @Nullable String actual = labels.get(name);
    String v = actual == null ? "" : actual;
    return switch (op) {
      case EQ -> v.equals(value);
      case NEQ -> !v.equals(value);
      case RE -> Pattern.matches(value, v);
      case NRE -> !Pattern.matches(value, v);
    };
  }

  @Override
  public String toString() {
    return name + op.symbol + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
