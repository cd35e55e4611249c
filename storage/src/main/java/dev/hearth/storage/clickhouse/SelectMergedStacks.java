package dev.hearth.storage.clickhouse;

import dev.hearth.model.Aggregation;
import dev.hearth.storage.SeriesSelection;
import java.util.HashMap;
import java.util.Map;

/**
 * Per stack, the combined value and count of a selection. Delta types sum. Gauge types ({@code
 * inuse_*}) average each series over its profiles in the range, then sum the series.
 *
 * <p>Ranges longer than {@link #ROLLUP_MIN_NANOS} read whole hours from {@code stacks_hourly} and
 * only the ragged head and tail from raw samples (delta types; gauges need profile counts, which
 * only raw rows carry).
 */
final class SelectMergedStacks {
  static final long HOUR_NANOS = 3_600_000_000_000L;
  static final long ROLLUP_MIN_NANOS = 6 * HOUR_NANOS;

  private static final String SUM =
      """
      SELECT stack_id, sum(value) AS value, sum(count) AS count
      FROM (%s)
      GROUP BY stack_id
      HAVING value != 0 OR count != 0""";

  private static final String RAW =
      "SELECT stack_id, value, toUInt64(count) AS count FROM samples WHERE %s";

  private static final String HOURLY =
      """
      SELECT stack_id, value, count FROM stacks_hourly
      WHERE %s AND hour >= fromUnixTimestamp64Milli({hfrom:Int64}, 'UTC')
        AND hour < fromUnixTimestamp64Milli({huntil:Int64}, 'UTC')""";

  private static final String GAUGE =
      """
      SELECT stack_id, toInt64(round(sum(value / profiles))) AS value, sum(count) AS count
      FROM samples
      INNER JOIN (
        SELECT series_id, uniqExact(ts) AS profiles FROM samples WHERE %s GROUP BY series_id
      ) AS p USING (series_id)
      WHERE %s
      GROUP BY stack_id
      HAVING value != 0 OR count != 0""";

  private SelectMergedStacks() {}

  static SqlStatement of(SeriesSelection s) {
    Map<String, Object> params = new HashMap<>();
    SeriesFilter.bind(s, params);
    String where = SeriesFilter.where(s, "ts");
    if (s.type().aggregation() == Aggregation.AVERAGE) {
      return new SqlStatement(GAUGE.formatted(where, where), params);
    }
    long hourFrom = ceilDiv(s.fromNanos(), HOUR_NANOS) * HOUR_NANOS;
    long hourUntil = Math.floorDiv(s.untilNanos(), HOUR_NANOS) * HOUR_NANOS;
    if (s.untilNanos() - s.fromNanos() < ROLLUP_MIN_NANOS || hourUntil <= hourFrom) {
      return new SqlStatement(SUM.formatted(RAW.formatted(where)), params);
    }
    params.put("hfrom", hourFrom / 1_000_000L);
    params.put("huntil", hourUntil / 1_000_000L);
    String edges =
        where
            + " AND (ts < fromUnixTimestamp64Milli({hfrom:Int64}, 'UTC')"
            + " OR ts >= fromUnixTimestamp64Milli({huntil:Int64}, 'UTC'))";
    String hourlyWhere = SeriesFilter.where(s, "hour");
    String union = RAW.formatted(edges) + " UNION ALL " + HOURLY.formatted(hourlyWhere);
    return new SqlStatement(SUM.formatted(union), params);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
