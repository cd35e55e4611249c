package dev.hearth.query;

import dev.hearth.model.EpochNumbers;

/**
 * Parses the API's times and durations. Times: {@code now}, {@code now-6h}, {@code now-30m}, {@code
 * now+1d}, or an epoch number whose magnitude tells its unit ({@link EpochNumbers}, the rule
 * Pyroscope's ingest shares). Durations: a number with a unit ({@code ms}, {@code s}, {@code m},
 * {@code h}, {@code d}, {@code w}), several in a row ({@code 1h30m}), or a bare number of seconds.
 */
public final class TimeExpressions {
  private static final long SECOND = 1_000_000_000L;

  private TimeExpressions() {}

  /**
   * @return Unix nanoseconds
   */
  public static long parseTime(String parameter, String text, long nowNanos) {
    String s = text.strip();
    if (s.isEmpty()) {
      throw new InvalidQueryException(parameter, "is empty: give now, now-6h or an epoch number");
    }
    if (s.startsWith("now")) {
      if (s.length() == 3) {
        return nowNanos;
      }
      char sign = s.charAt(3);
      if (sign != '-' && sign != '+') {
        throw new InvalidQueryException(
            parameter, 4, "expected '-' or '+' after 'now', found '" + sign + "'");
      }
      long d = parseDuration(parameter, s.substring(4), 4);
      long t;
      try {
        t = sign == '-' ? Math.subtractExact(nowNanos, d) : Math.addExact(nowNanos, d);
      } catch (ArithmeticException e) {
        throw new InvalidQueryException(parameter, 5, "is too far from now (beyond year 2262)");
      }
      if (t < 0) {
        throw new InvalidQueryException(parameter, 5, "is before 1970");
      }
      return t;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        throw new InvalidQueryException(
            parameter,
            i + 1,
            "unexpected '" + s.charAt(i) + "': give now, now-6h or an epoch number");
      }
    }
    long n;
    try {
      n = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(parameter, "epoch number '" + s + "' is out of range");
    }
    return EpochNumbers.toNanos(n);
  }

  /** A duration in nanoseconds; positive. */
  public static long parseDuration(String parameter, String text) {
    return parseDuration(parameter, text.strip(), 0);
  }

  private static long parseDuration(String parameter, String s, int offset) {
    if (s.isEmpty()) {
      throw new InvalidQueryException(parameter, offset + 1, "expected a duration such as 6h");
    }
    int pos = 0;
    long total = 0;
    while (pos < s.length()) {
      int start = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (pos == start) {
        throw new InvalidQueryException(
            parameter, offset + pos + 1, "expected a number, found '" + s.charAt(pos) + "'");
      }
      if (pos - start > 18) {
        throw new InvalidQueryException(
            parameter, offset + start + 1, "number " + s.substring(start, pos) + " is too large");
      }
      long n = Long.parseLong(s.substring(start, pos));
      int unitStart = pos;
      while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
        pos++;
      }
      String unit = s.substring(unitStart, pos);
      long scale =
          switch (unit) {
            case "" -> unitStart == s.length() && start == 0 ? SECOND : -1;
            case "ms" -> 1_000_000L;
            case "s" -> SECOND;
            case "m" -> 60 * SECOND;
            case "h" -> 3600 * SECOND;
            case "d" -> 86_400 * SECOND;
            case "w" -> 7 * 86_400 * SECOND;
            default -> -1;
          };
      if (scale < 0) {
        throw new InvalidQueryException(
            parameter,
            offset + unitStart + 1,
            unit.isEmpty()
                ? "expected a unit (ms, s, m, h, d, w) after " + n
                : "unknown unit '" + unit + "'; use ms, s, m, h, d or w");
      }
      try {
        total = Math.addExact(total, Math.multiplyExact(n, scale));
      } catch (ArithmeticException e) {
        throw new InvalidQueryException(
            parameter, offset + start + 1, "duration is too long (at most about 292 years)");
      }
    }
    if (total <= 0) {
      throw new InvalidQueryException(parameter, offset + 1, "duration must be positive");
    }
    return total;
  }
}
