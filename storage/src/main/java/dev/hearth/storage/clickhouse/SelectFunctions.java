package dev.hearth.storage.clickhouse;

import java.util.List;
import java.util.Map;

/**
 * The names table of a merge: functions by id, each with the frame type of one of its locations in
 * the range's days (a function's frame type colours its flamegraph nodes). The ids are a bound
 * array, sent in chunks of {@link SelectStacks#IDS_PER_QUERY}; each chunk scans the range's
 * locations for the frame types. When the ids are more than a chunk and at least a third of the
 * functions written in the range's days ({@link #COUNT}), one query reads all of those ({@link
 * #inRange}) instead, and the caller keeps the ones it asked for.
 */
final class SelectFunctions {
  private static final String TEMPLATE =
      """
      SELECT f.function_id AS function_id, f.name AS name, f.system_name AS system_name,
             f.filename AS filename, f.start_line AS start_line, toString(t.type) AS frame_type
      FROM (
        SELECT function_id, any(name) AS name, any(system_name) AS system_name,
               any(filename) AS filename, any(start_line) AS start_line
        FROM functions
        WHERE tenant = {tenant:String} AND %1$s
        GROUP BY function_id
      ) AS f
      LEFT JOIN (
        SELECT fid AS function_id, any(frame_type) AS type
        FROM locations ARRAY JOIN function_ids AS fid
        WHERE tenant = {tenant:String}
          AND day >= toDate(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))
          AND day <= toDate(fromUnixTimestamp64Milli({until:Int64}, 'UTC'))
          AND frame_type != '' AND %2$s
        GROUP BY fid
      ) AS t USING (function_id)""";

  static final String SQL =
      TEMPLATE.formatted("function_id IN {ids:Array(Int64)}", "fid IN {ids:Array(Int64)}");

  private static final String IN_RANGE =
      TEMPLATE.formatted(
          "day >= toDate(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))"
              + " AND day <= toDate(fromUnixTimestamp64Milli({until:Int64}, 'UTC'))",
          "1");

  /** How many function rows the range's days hold (a function written on two days counts twice). */
  static final String COUNT =
      """
      SELECT count() AS n FROM functions
      WHERE tenant = {tenant:String}
        AND day >= toDate(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))
        AND day <= toDate(fromUnixTimestamp64Milli({until:Int64}, 'UTC'))""";

  /** The result's columns as {@code RowBinaryWithNamesAndTypes} names them. */
  static final List<String> COLUMNS =
      List.of(
          "function_id Int64",
          "name String",
          "system_name String",
          "filename String",
          "start_line Int64",
          "frame_type String");

  private SelectFunctions() {}

  static SqlStatement count(String tenant, long fromNanos, long untilNanos) {
    return new SqlStatement(COUNT, range(tenant, fromNanos, untilNanos));
  }

  static SqlStatement inRange(String tenant, long fromNanos, long untilNanos) {
    return new SqlStatement(IN_RANGE, range(tenant, fromNanos, untilNanos));
  }

  private static Map<String, Object> range(String tenant, long fromNanos, long untilNanos) {
    return Map.of(
        "tenant",
        tenant,
        "from",
        Math.floorDiv(fromNanos, 1_000_000L),
        "until",
        Math.floorDiv(untilNanos, 1_000_000L));
  }

  static SqlStatement of(String tenant, List<Long> ids, long fromNanos, long untilNanos) {
    return new SqlStatement(
        SQL,
        Map.of(
            "tenant",
            tenant,
            "ids",
            ids,
            "from",
            Math.floorDiv(fromNanos, 1_000_000L),
            "until",
            Math.floorDiv(untilNanos, 1_000_000L)));
  }
}
