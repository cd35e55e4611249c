package dev.hearth.query;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * Whether ClickHouse's RE2 accepts a regex, checked before any SQL is built so a refused regex is
 * the client's 400, not a storage failure. re2j follows RE2's syntax (no lookaround, no
 * backreferences, counts up to 1000, no {@code a{2}{3}}); RE2 also refuses counted repetitions
 * nested to more than 1000 in all ({@code (a{100}){100}}), which re2j lets through, so that is
 * checked here.
 */
final class Re2Syntax {
  static final int MAX_REPEAT = 1000;

  private Re2Syntax() {}

  /** Null when RE2 accepts {@code regex}, else why not. */
  static @Nullable String problem(String regex) {
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return "invalid regular expression (RE2 refuses it): " + e.getMessage();
    }
    return nestedRepeat(regex) > MAX_REPEAT
        ? "invalid regular expression (RE2 refuses it): counted repetitions nest to more than "
            + MAX_REPEAT
        : null;
  }

  /** The largest product of nested {@code {n}} / {@code {m,n}} counts in a regex re2j parsed. */
  private static long nestedRepeat(String re) {
    Deque<long[]> groups = new ArrayDeque<>(); // per open group: largest product inside it
    long[] top = {1};
    long lastAtom = 1; // product inside the atom just before the current position
    long worst = 1;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      switch (c) {
        case '\\' -> {
          i++;
          lastAtom = 1;
        }
        case '[' -> {
          int j = i + 1;
          if (j < re.length() && re.charAt(j) == '^') j++;
          if (j < re.length() && re.charAt(j) == ']') j++;
          while (j < re.length() && re.charAt(j) != ']') {
            if (re.charAt(j) == '\\') j++;
            j++;
          }
          i = j;
          lastAtom = 1;
        }
        case '(' -> {
          groups.push(top);
          top = new long[] {1};
        }
        case ')' -> {
          lastAtom = top[0];
          top = groups.isEmpty() ? new long[] {1} : groups.pop();
          top[0] = Math.max(top[0], lastAtom);
        }
        case '{' -> {
          int close = re.indexOf('}', i);
          String body = close > i ? re.substring(i + 1, close) : "";
          if (body.matches("\\d+(,\\d*)?")) {
            String[] parts = body.split(",", -1);
            long n = Long.parseLong(parts.length > 1 && !parts[1].isEmpty() ? parts[1] : parts[0]);
            long product = Math.max(1, lastAtom) * Math.max(1, n);
            worst = Math.max(worst, product);
            top[0] = Math.max(top[0], product);
            lastAtom = product;
            i = close;
          } else {
            lastAtom = 1;
          }
        }
        default -> lastAtom = 1;
      }
    }
    return worst;
  }
}
