package dev.hearth.query;

import dev.hearth.model.LabelSet;
import dev.hearth.model.ProfileType;
import dev.hearth.storage.SeriesSelection;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns the API's string parameters into a selection, a range and numbers, the same way for REST
 * and gRPC. Every failure is an {@link InvalidQueryException} naming the parameter.
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
    Selector selector = selector(queryName, query);
    ProfileType type = selector.type();
    if (!blank(profileType)) {
      ProfileType given = SelectorParser.parse("profileType", profileType).type();
      if (given == null) {
        throw new InvalidQueryException("profileType", "is not a profile type id");
      }
      if (type != null && !type.equals(given)) {
        throw new InvalidQueryException(
            "profileType", "'" + given.id() + "' contradicts the type in " + queryName);
      }
      type = given;
    }
    if (type == null) {
      throw new InvalidQueryException(
          queryName,
          "no profile type: prefix the selector with one, e.g."
              + " process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name=\"api\"},"
              + " or pass profileType");
    }
    return new SeriesSelection(
        tenant, type, selector.matchers(), range.fromNanos(), range.untilNanos());
  }

  public static Selector selector(String name, @Nullable String query) {
    return blank(query) ? Selector.EMPTY : SelectorParser.parse(name, query);
  }

  /** {@code maxNodes}: default when absent, at least 2, at most the configured cap. */
  public static int maxNodes(@Nullable String value, QueryLimits limits) {
    if (blank(value)) {
      return limits.defaultMaxNodes();
    }
    int n = integer("maxNodes", value);
    return maxNodes(n, limits);
  }

  /** As {@link #maxNodes(String, QueryLimits)} for gRPC's integer field (0 = default). */
  public static int maxNodes(int n, QueryLimits limits) {
    if (n == 0) {
      return limits.defaultMaxNodes();
    }
    if (n < 2 || n > limits.maxNodes()) {
      throw new InvalidQueryException(
          "maxNodes",
          "must be between 2 and " + limits.maxNodes() + " (hearth.query.max-nodes), not " + n);
    }
    return n;
  }

  /** A positive integer parameter with a default and an upper bound. */
  public static int positive(String name, @Nullable String value, int fallback, int max) {
    if (blank(value)) {
      return fallback;
    }
    int n = integer(name, value);
    if (n < 1 || n > max) {
      throw new InvalidQueryException(name, "must be between 1 and " + max + ", not " + n);
    }
    return n;
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(name, "'" + value + "' is not an integer");
    }
  }

  /** {@code groupBy}: comma-separated label names. */
  public static List<String> groupBy(@Nullable String value) {
    if (blank(value)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    int column = 1;
    for (String part : value.split(",", -1)) {
      String name = part.strip();
      if (!LabelSet.isValidName(name)) {
        throw new InvalidQueryException("groupBy", column, "'" + name + "' is not a label name");
      }
      out.add(name);
      column += part.length() + 1;
    }
    return out;
  }

  /** {@code step}: a duration or seconds; null when absent (automatic). */
  public static @Nullable Long step(@Nullable String value) {
    if (blank(value)) {
      return null;
    }
    long step = TimeExpressions.parseDuration("step", value);
    if (step < 1_000_000_000L) {
      throw new InvalidQueryException("step", "must be at least 1s");
    }
    return step;
  }

  static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
