package dev.hearth.storage.clickhouse;

import dev.hearth.storage.SeriesSelection;
import java.util.HashMap;
import java.util.Map;

/**
 * The merge of a selection ({@link SelectMergedStacks}) joined inside ClickHouse with each stack's
 * function and location ids, so a call tree is built from ids without a round trip per stack. The
 * right side is the tenant's stacks of the range's days (dictionary rows are written per day of the
 * samples that use them); {@code ANY} keeps one row per stack where a stack has several (one per
 * day, or not yet folded by {@code ReplacingMergeTree}). {@code found} tells a stack without a
 * visible dictionary row from one without frames. The join is {@code GLOBAL}: on a cluster stacks
 * are sharded by stack id, samples by series. The columns are cast to the types {@link #COLUMNS}
 * names, which the binary reader checks.
 */
final class SelectMergedFrames {
  private static final String SQL =
      """
      SELECT toInt64(m.stack_id) AS stack_id, toInt64(m.value) AS value,
             toUInt64(m.count) AS count, k.function_ids AS function_ids,
             k.location_ids AS location_ids, k.found AS found
      FROM (%s) AS m
      GLOBAL ANY LEFT JOIN (
        SELECT stack_id, function_ids, location_ids, toUInt8(1) AS found
        FROM stacks
        WHERE tenant = {tenant:String}
          AND day >= toDate(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))
          AND day <= toDate(fromUnixTimestamp64Milli({until:Int64}, 'UTC'))
      ) AS k USING (stack_id)
      LIMIT {limit:UInt64}""";

  /** The result's columns as {@code RowBinaryWithNamesAndTypes} names them. */
  static final java.util.List<String> COLUMNS =
      java.util.List.of(
          "stack_id Int64",
          "value Int64",
          "count UInt64",
          "function_ids Array(Int64)",
          "location_ids Array(Int64)",
          "found UInt8");

  private SelectMergedFrames() {}

  static SqlStatement of(SeriesSelection s, long limit) {
    SqlStatement merged = SelectMergedStacks.of(s);
    Map<String, Object> params = new HashMap<>(merged.params());
    params.put("limit", limit);
    return new SqlStatement(SQL.formatted(merged.sql()), params);
  }
}
