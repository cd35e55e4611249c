package dev.hearth.query;

import dev.hearth.model.LabelSet;
import dev.hearth.model.ProfileType;
import dev.hearth.storage.SeriesSelection;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The parameter rules every query request shares: a selection, a range and numbers from strings.
 * The typed requests of {@link dev.hearth.query.request} apply them once for every transport. Every
 * failure is an {@link InvalidQueryException} naming the parameter.
 */
public final class QueryParams {
  static final long HOUR = 3_600_000_000_000L;

  private QueryParams() {}

  /**
   * A time range, Unix nanoseconds, half-open.
   *
   * @param fromNanos inclusive start
   * @param untilNanos exclusive end
   */
  public record Range(long fromNanos, long untilNanos) {}

  /** {@code from} defaults to one hour before {@code until}, {@code until} to now. */
  public static Range range(
      String fromName,
      @Nullable String from,
      String untilName,
      @Nullable String until,
      long nowNanos) {
    long u = blank(until) ? nowNanos : TimeExpressions.parseTime(untilName, until, nowNanos);
    long f = blank(from) ? u - HOUR : TimeExpressions.parseTime(fromName, from, nowNanos);
    if (u <= f) {
      throw new InvalidQueryException(
          untilName, "must be after " + fromName + " (the range is empty or reversed)");
    }
    return new Range(f, u);
  }

  /**
   * A selection from a selector and an optional separate profile type.
   *
   * @param queryName the selector's parameter name ({@code query}, {@code leftQuery}, …)
   * @param profileType the type as its own parameter ({@code profileType}), or null
   */
  public static SeriesSelection selection(
      String tenant,
      String queryName,
      @Nullable String query,
      @Nullable String profileType,
      Range range) {
    return selection(tenant, queryName, query, "profileType", profileType, range);
  }

  /**
   * As {@link #selection(String, String, String, String, Range)}, naming the profile type's
   * parameter {@code profileTypeName} in errors.
   */
  public static SeriesSelection selection(
      String tenant,
      String queryName,
      @Nullable String query,
      String profileTypeName,
      @Nullable String profileType,
      Range range) {
    Selector selector = selector(queryName, query);
    ProfileType type = selector.type();
    if (!blank(profileType)) {
      ProfileType given = SelectorParser.parse(profileTypeName, profileType).type();
      if (given == null) {
        throw new InvalidQueryException(profileTypeName, "is not a profile type id");
      }
      if (type != null && !type.equals(given)) {
        throw new InvalidQueryException(
            profileTypeName, "'" + given.id() + "' contradicts the type in " + queryName);
      }
      type = given;
    }
    if (type == null) {
      throw new InvalidQueryException(
          queryName,
          "no profile type: prefix the selector with one, e.g."
              + " process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name=\"api\"},"
              + " or pass "
              + profileTypeName);
    }
    return new SeriesSelection(
        tenant, type, selector.matchers(), range.fromNanos(), range.untilNanos());
  }

  public static Selector selector(String name, @Nullable String query) {
    return blank(query) ? Selector.EMPTY : SelectorParser.parse(name, query);
  }

  /** {@code maxNodes}: default when absent, at least 2, at most the configured cap. */
  public static int maxNodes(@Nullable String value, QueryLimits limits) {
    return maxNodes("maxNodes", value, limits);
  }

  /** As {@link #maxNodes(String, QueryLimits)}, naming the parameter {@code name} in errors. */
  public static int maxNodes(String name, @Nullable String value, QueryLimits limits) {
    if (blank(value)) {
      return limits.defaultMaxNodes();
    }
    long n = integer(name, value);
    if (n < 2 || n > limits.maxNodes()) {
      throw new InvalidQueryException(
          name,
          "must be between 2 and " + limits.maxNodes() + " (hearth.query.max-nodes), not " + n);
    }
    return (int) n;
  }

  /** A positive integer parameter with a default and an upper bound. */
  public static int positive(String name, @Nullable String value, int fallback, int max) {
    if (blank(value)) {
      return fallback;
    }
    long n = integer(name, value);
    if (n < 1 || n > max) {
      throw new InvalidQueryException(name, "must be between 1 and " + max + ", not " + n);
    }
    return (int) n;
  }

  private static long integer(String name, String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(name, "'" + value + "' is not an integer");
    }
  }

  /** {@code groupBy}: comma-separated label names. */
  public static List<String> groupBy(@Nullable String value) {
    return groupBy("groupBy", value);
  }

  /** As {@link #groupBy(String)}, naming the parameter {@code parameter} in errors. */
  public static List<String> groupBy(String parameter, @Nullable String value) {
    if (blank(value)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    int column = 1;
    for (String part : value.split(",", -1)) {
      String name = part.strip();
      if (!LabelSet.isValidName(name)) {
        throw new InvalidQueryException(parameter, column, "'" + name + "' is not a label name");
      }
      out.add(name);
      column += part.length() + 1;
    }
    return out;
  }

  /** {@code step}: a duration or seconds; null when absent (automatic). */
  public static @Nullable Long step(@Nullable String value) {
    return step("step", value);
  }

  /** As {@link #step(String)}, naming the parameter {@code name} in errors. */
  public static @Nullable Long step(String name, @Nullable String value) {
    if (blank(value)) {
      return null;
    }
    long step = TimeExpressions.parseDuration(name, value);
    if (step < 1_000_000_000L) {
      throw new InvalidQueryException(name, "must be at least 1s");
    }
    return step;
  }

  static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
