package dev.hearth.storage.clickhouse;

import dev.hearth.model.Aggregation;
import dev.hearth.storage.SeriesSelection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Totals per step and group. Each (series, step) is reduced first — summed for delta types,
 * averaged over its profiles for gauges — and the series are then summed per group. Steps of whole
 * minutes over minute-aligned ranges read the {@code series_minutes} rollup.
 */
final class SelectStepTotals {
  private static final String RAW_PER_SERIES =
      """
      SELECT series_id, intDiv(toUnixTimestamp64Milli(ts), {step:Int64}) * {step:Int64} AS step,
             sum(value) AS value, toUInt64(sum(count)) AS count, uniqExact(ts) AS profiles
      FROM samples WHERE %s
      GROUP BY series_id, step""";

  private static final String ROLLUP_PER_SERIES =
      """
      SELECT series_id, intDiv(toUnixTimestamp(minute) * 1000, {step:Int64}) * {step:Int64} AS step,
             sum(value) AS value, toUInt64(sum(count)) AS count, uniqExactMerge(profiles) AS profiles
      FROM series_minutes WHERE %s
      GROUP BY series_id, step""";

  private static final String TOTALS =
      """
      SELECT %s step, toInt64(round(sum(%s))) AS total_value, sum(count) AS total_count,
             sum(profiles) AS total_profiles
      FROM (%s) AS per_series
      %s
      GROUP BY %s step
      ORDER BY %s step""";

  private static final String GROUP_LABELS =
      """
      INNER JOIN (
        SELECT series_id, any(labels) AS labels FROM series
        WHERE tenant = {tenant:String} AND profile_type = {type:String}
          AND day >= toDate(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))
          AND day <= toDate(fromUnixTimestamp64Milli({until:Int64}, 'UTC'))
        GROUP BY series_id
      ) AS l USING (series_id)""";

  private SelectStepTotals() {}

  static SqlStatement of(SeriesSelection s, long stepNanos, List<String> groupBy) {
    Map<String, Object> params = new HashMap<>();
    SeriesFilter.bind(s, params);
    long stepMillis = Math.max(1000, stepNanos / 1_000_000L);
    params.put("step", stepMillis);
    boolean rollup =
        stepMillis % 60_000 == 0
            && s.fromNanos() % 60_000_000_000L == 0
            && s.untilNanos() % 60_000_000_000L == 0;
    String perSeries =
        rollup
            ? ROLLUP_PER_SERIES.formatted(SeriesFilter.where(s, "minute"))
            : RAW_PER_SERIES.formatted(SeriesFilter.where(s, "ts"));
    StringBuilder groups = new StringBuilder();
    for (int i = 0; i < groupBy.size(); i++) {
      params.put("g" + i, groupBy.get(i));
      groups.append("l.labels[{g").append(i).append(":String}] AS g").append(i).append(", ");
    }
    StringBuilder groupNames = new StringBuilder();
    for (int i = 0; i < groupBy.size(); i++) {
      groupNames.append("g").append(i).append(", ");
    }
    String combined = s.type().aggregation() == Aggregation.AVERAGE ? "value / profiles" : "value";
    String sql =
        TOTALS.formatted(
            groups,
            combined,
            perSeries,
            groupBy.isEmpty() ? "" : GROUP_LABELS,
            groupNames,
            groupNames);
    return new SqlStatement(sql, params);
  }
}
