package dev.hearth.query;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.LabelSet;
import dev.hearth.model.ProfileType;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses selectors: {@code [profile_type]{name op "value", ...}} with the operators {@code =},
 * {@code !=}, {@code =~} and {@code !~}; values in double, single or back quotes, with {@code \}
 * escapes in the first two. Names are written bare when they match {@code [a-zA-Z_][a-zA-Z0-9_.]*}
 * ({@code otel.scope.name="x"}) or quoted as Prometheus 3 writes UTF-8 names ({@code
 * "otel.scope.name"="x"}, {@code "k8s/pod"="x"}). Errors name the parameter and the column of the
 * offending character.
 */
public final class SelectorParser {
  private final String parameter;
  private final String in;
  private int pos;

  private SelectorParser(String parameter, String in) {
    this.parameter = parameter;
    this.in = in;
  }

  /** Parses {@code text}, the value of request parameter {@code parameter}. Blank is empty. */
  public static Selector parse(String parameter, String text) {
    return new SelectorParser(parameter, text).selector();
  }

  private InvalidQueryException error(int at, String message) {
    return new InvalidQueryException(parameter, at + 1, message);
  }

  private void skipSpace() {
    while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
      pos++;
    }
  }

  private Selector selector() {
    skipSpace();
    int typeStart = pos;
    while (pos < in.length() && in.charAt(pos) != '{') {
      pos++;
    }
    String typeText = in.substring(typeStart, pos).strip();
    ProfileType type = typeText.isEmpty() ? null : type(typeText, typeStart);
    if (pos == in.length()) {
      return new Selector(type, List.of());
    }
    pos++; // '{'
    List<LabelMatcher> matchers = new ArrayList<>();
    while (true) {
      skipSpace();
      if (pos == in.length()) {
        throw error(pos, "unterminated selector: expected '}'");
      }
      if (in.charAt(pos) == '}') {
        pos++;
        break;
      }
      matchers.add(matcher());
      skipSpace();
      if (pos == in.length()) {
        throw error(pos, "unterminated selector: expected ',' or '}'");
      }
      char c = in.charAt(pos);
      if (c == ',') {
        pos++;
      } else if (c != '}') {
        throw error(pos, "expected ',' or '}' after a matcher, found '" + c + "'");
      }
    }
    skipSpace();
    if (pos < in.length()) {
      throw error(pos, "unexpected '" + in.charAt(pos) + "' after the closing '}'");
    }
    return new Selector(type, matchers);
  }

  private ProfileType type(String text, int start) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '}' || c == '"' || c == ',' || c == '=') {
        throw error(start + i, "unexpected '" + c + "' in the profile type");
      }
    }
    String[] parts = text.split(":", -1);
    if (parts.length != 5) {
      throw error(
          start,
          "profile type '"
              + text
              + "' has "
              + parts.length
              + " parts; expected name:sample_type:sample_unit:period_type:period_unit");
    }
    int offset = 0;
    for (String part : parts) {
      if (part.isEmpty()) {
        throw error(start + offset, "empty part in profile type '" + text + "'");
      }
      offset += part.length() + 1;
    }
    return ProfileType.parse(text);
  }

  private LabelMatcher matcher() {
    int nameStart = pos;
    String name;
    if (pos < in.length() && isQuote(in.charAt(pos))) {
      // Prometheus 3's form for names outside [a-zA-Z_][a-zA-Z0-9_]*: {"otel.scope.name"="x"}.
      name = quoted();
      if (!LabelSet.isValidName(name)) {
        throw error(nameStart, "'" + LabelSet.printable(name) + "' is not a label name");
      }
    } else {
      while (pos < in.length() && isNameChar(in.charAt(pos), pos == nameStart)) {
        pos++;
      }
      if (pos == nameStart) {
        throw error(
            pos,
            pos < in.length()
                ? "expected a label name, found '" + in.charAt(pos) + "'"
                : "expected a label name");
      }
      name = in.substring(nameStart, pos);
    }
    skipSpace();
    int opStart = pos;
    LabelMatcher.Op op;
    if (in.startsWith("=~", pos)) {
      op = LabelMatcher.Op.RE;
    } else if (in.startsWith("!~", pos)) {
      op = LabelMatcher.Op.NRE;
    } else if (in.startsWith("!=", pos)) {
      op = LabelMatcher.Op.NEQ;
    } else if (in.startsWith("=", pos)) {
      op = LabelMatcher.Op.EQ;
    } else {
      throw error(
          opStart,
          "expected '=', '!=', '=~' or '!~' after label "
              + name
              + (pos < in.length() ? ", found '" + in.charAt(pos) + "'" : ""));
    }
    pos += op.symbol().length();
    skipSpace();
    int valueStart = pos;
    String value = quoted();
    if (op == LabelMatcher.Op.RE || op == LabelMatcher.Op.NRE) {
      String problem = Re2Syntax.problem(value);
      if (problem != null) {
        throw error(valueStart, problem);
      }
    }
    try {
      return new LabelMatcher(name, op, value);
    } catch (IllegalArgumentException e) {
      throw error(valueStart, e.getMessage());
    }
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'' || c == '`';
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_'
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (!first && ((c >= '0' && c <= '9') || c == '.'));
  }

  private String quoted() {
    if (pos == in.length()) {
      throw error(pos, "expected a quoted value");
    }
    char quote = in.charAt(pos);
    if (!isQuote(quote)) {
      throw error(pos, "expected a quoted value, found '" + quote + "'");
    }
    int start = pos;
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c == quote) {
        pos++;
        return sb.toString();
      }
      if (c == '\\' && quote != '`') {
        if (pos + 1 == in.length()) {
          break;
        }
        char e = in.charAt(pos + 1);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case '\\', '"', '\'' -> sb.append(e);
          default -> sb.append('\\').append(e); // regex escapes such as \d pass through
        }
        pos += 2;
        continue;
      }
      sb.append(c);
      pos++;
    }
    throw error(start, "unterminated quoted value");
  }
}
