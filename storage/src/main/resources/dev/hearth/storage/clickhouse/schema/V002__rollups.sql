-- Rollups kept by materialized views, for ranges too long to scan raw samples.

-- Per series and minute: totals for timelines, and the distinct profile times that gauge types
-- (inuse_*) average over.
CREATE TABLE IF NOT EXISTS series_minutes (
  tenant LowCardinality(String),
  profile_type LowCardinality(String),
  series_id Int64,
  minute DateTime('UTC'),
  value SimpleAggregateFunction(sum, Int64),
  count SimpleAggregateFunction(sum, UInt64),
  profiles AggregateFunction(uniqExact, DateTime64(3, 'UTC'))
) ENGINE = AggregatingMergeTree
PARTITION BY toDate(minute)
ORDER BY (tenant, profile_type, series_id, minute)
TTL toDate(minute) + INTERVAL ${retention_days} DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS series_minutes_mv TO series_minutes AS
SELECT tenant, profile_type, series_id, toStartOfMinute(ts) AS minute,
       sum(value) AS value, toUInt64(sum(count)) AS count, uniqExactState(ts) AS profiles
FROM samples
GROUP BY tenant, profile_type, series_id, minute;

-- Per series, stack and hour: flamegraphs over days read this instead of every sample row.
CREATE TABLE IF NOT EXISTS stacks_hourly (
  tenant LowCardinality(String),
  profile_type LowCardinality(String),
  series_id Int64,
  hour DateTime('UTC'),
  stack_id Int64,
  value Int64,
  count UInt64
) ENGINE = SummingMergeTree((value, count))
PARTITION BY toDate(hour)
ORDER BY (tenant, profile_type, series_id, hour, stack_id)
TTL toDate(hour) + INTERVAL ${retention_days} DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS stacks_hourly_mv TO stacks_hourly AS
SELECT tenant, profile_type, series_id, toStartOfHour(ts) AS hour, stack_id,
       sum(value) AS value, toUInt64(sum(count)) AS count
FROM samples
GROUP BY tenant, profile_type, series_id, hour, stack_id;
