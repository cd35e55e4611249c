package dev.hearth.storage.clickhouse;

import dev.hearth.storage.SeriesSelection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per function and step, the summed value of the stacks containing the function: samples are
 * reduced to (stack, step) first, then joined with the stacks that hold any wanted function (each
 * function once per stack). Delta types only; gauges go through the SPI's generic default. The join
 * is {@code GLOBAL}: on a cluster stacks are sharded by stack id, samples by series.
 */
final class SelectFunctionSteps {
  private static final String SQL =
      """
      SELECT f AS function_id, step, sum(v) AS value
      FROM (
        SELECT stack_id, intDiv(toUnixTimestamp64Milli(ts), {step:Int64}) * {step:Int64} AS step,
               sum(value) AS v
        FROM samples WHERE %s
        GROUP BY stack_id, step
      ) AS s
      GLOBAL INNER JOIN (
        SELECT stack_id,
               arrayFilter(x -> has({fids:Array(Int64)}, x), arrayDistinct(any(function_ids))) AS fs
        FROM stacks
        WHERE tenant = {tenant:String}
          AND day >= toDate(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))
          AND day <= toDate(fromUnixTimestamp64Milli({until:Int64}, 'UTC'))
          AND hasAny(function_ids, {fids:Array(Int64)})
        GROUP BY stack_id
      ) AS k USING (stack_id)
      ARRAY JOIN k.fs AS f
      GROUP BY f, step
      HAVING value != 0
      ORDER BY f, step""";

  private SelectFunctionSteps() {}

  static SqlStatement of(SeriesSelection s, long stepNanos, List<Long> functionIds) {
    Map<String, Object> params = new HashMap<>();
    SeriesFilter.bind(s, params);
    params.put("step", stepNanos / 1_000_000L);
    params.put("fids", functionIds);
    return new SqlStatement(SQL.formatted(SeriesFilter.where(s, "ts")), params);
  }
}
