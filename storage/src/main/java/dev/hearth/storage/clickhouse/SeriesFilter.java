package dev.hearth.storage.clickhouse;

import dev.hearth.model.LabelMatcher;
import dev.hearth.storage.SeriesSelection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The WHERE clause shared by reads over {@code samples} and its rollups: tenant, profile type, time
 * range and the label matchers, as bound query parameters (never spliced values). Matchers select
 * series ids from the {@code series} table (also without matchers, for the index); regexes are
 * anchored, and an absent label reads as the empty string, as in Prometheus.
 */
final class SeriesFilter {
  private SeriesFilter() {}

  /** Adds {@code tenant}, {@code type}, {@code from}, {@code until} and matcher parameters. */
  static void bind(SeriesSelection s, Map<String, Object> params) {
    params.put("tenant", s.tenant());
    params.put("type", s.type().id());
    params.put("from", Math.floorDiv(s.fromNanos(), 1_000_000L));
    params.put("until", Math.floorDiv(s.untilNanos(), 1_000_000L));
    matcherConditions(s.matchers(), params);
  }

  /**
   * The condition on a table with {@code tenant}, {@code profile_type} and {@code series_id}
   * columns; {@code timeColumn} is compared with the range.
   */
  static String where(SeriesSelection s, String timeColumn) {
    StringBuilder sql =
        new StringBuilder("tenant = {tenant:String} AND profile_type = {type:String}")
            .append(" AND ")
            .append(timeColumn)
            .append(" >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND ")
            .append(timeColumn)
            .append(" < fromUnixTimestamp64Milli({until:Int64}, 'UTC')");
    // Always through the series ids, matchers or not: series_id precedes ts in every table's
    // sort key, so only a series_id condition lets the time range use the primary index; without
    // one a fleet-wide read scans whole day partitions.
    sql.append(" AND series_id IN (").append(seriesIds(s)).append(')');
    return sql.toString();
  }

  /** Series ids of the selection whose labels satisfy every matcher. */
  static String seriesIds(SeriesSelection s) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT series_id FROM series WHERE tenant = {tenant:String}"
                + " AND profile_type = {type:String}"
                + " AND day >= toDate(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))"
                + " AND day <= toDate(fromUnixTimestamp64Milli({until:Int64}, 'UTC'))");
    sql.append(matcherConditions(s.matchers(), null));
    return sql.toString();
  }

  /**
   * {@code AND}-prefixed conditions on a {@code labels} map column, one per matcher, with their
   * {@code mn<i>}/{@code mv<i>} parameters added to {@code params} when it is not null.
   */
  static String matcherConditions(
      List<LabelMatcher> matchers, @Nullable Map<String, Object> params) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < matchers.size(); i++) {
      LabelMatcher m = matchers.get(i);
      if (params != null) {
        params.put("mn" + i, m.name());
        params.put(
            "mv" + i,
            switch (m.op()) {
              case EQ, NEQ -> m.value();
              case RE, NRE -> "^(?:" + m.value() + ")$";
            });
      }
      String label = "labels[{mn" + i + ":String}]";
      String value = "{mv" + i + ":String}";
      sql.append(" AND ")
          .append(
              switch (m.op()) {
                case EQ -> label + " = " + value;
                case NEQ -> label + " != " + value;
                case RE -> "match(" + label + ", " + value + ")";
                case NRE -> "NOT match(" + label + ", " + value + ")";
              });
    }
    return sql.toString();
  }
}
