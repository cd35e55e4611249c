package dev.hearth.storage.clickhouse;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.ProfileType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Profile types, label names and label values of the series with data in a range. */
final class SelectLabels {
  private static final String PROFILE_TYPES =
      """
      SELECT DISTINCT profile_type FROM series
      WHERE tenant = {tenant:String} AND %s
      ORDER BY profile_type""";

  private static final String LABEL_NAMES =
      """
      SELECT DISTINCT arrayJoin(mapKeys(labels)) AS name FROM series
      WHERE tenant = {tenant:String} AND %s %s
      ORDER BY name""";

  private static final String LABEL_VALUES =
      """
      SELECT DISTINCT labels[{name:String}] AS value FROM series
      WHERE tenant = {tenant:String} AND %s %s AND mapContains(labels, {name:String}) %s
      ORDER BY value""";

  private static final String DAYS =
      "day >= toDate(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))"
          + " AND day <= toDate(fromUnixTimestamp64Milli({until:Int64}, 'UTC'))";

  private SelectLabels() {}

  private static Map<String, Object> params(String tenant, long fromNanos, long untilNanos) {
    Map<String, Object> params = new HashMap<>();
    params.put("tenant", tenant);
    params.put("from", Math.floorDiv(fromNanos, 1_000_000L));
    params.put("until", Math.floorDiv(untilNanos, 1_000_000L));
    return params;
  }

  static SqlStatement profileTypes(String tenant, long fromNanos, long untilNanos) {
    return new SqlStatement(PROFILE_TYPES.formatted(DAYS), params(tenant, fromNanos, untilNanos));
  }

  static SqlStatement labelNames(
      String tenant, @Nullable ProfileType type, long fromNanos, long untilNanos) {
    Map<String, Object> params = params(tenant, fromNanos, untilNanos);
    return new SqlStatement(LABEL_NAMES.formatted(DAYS, typeCondition(type, params)), params);
  }

  static SqlStatement labelValues(
      String tenant,
      String name,
      @Nullable ProfileType type,
      List<LabelMatcher> matchers,
      long fromNanos,
      long untilNanos) {
    Map<String, Object> params = params(tenant, fromNanos, untilNanos);
    params.put("name", name);
    String conditions = SeriesFilter.matcherConditions(matchers, params);
    return new SqlStatement(
        LABEL_VALUES.formatted(DAYS, typeCondition(type, params), conditions), params);
  }

  private static String typeCondition(@Nullable ProfileType type, Map<String, Object> params) {
    if (type == null) {
      return "";
    }
    params.put("type", type.id());
    return "AND profile_type = {type:String}";
  }
}
