-- Dictionaries are content-addressed: one row per (tenant, day, id). ReplacingMergeTree folds the
-- rare re-insert (a writer's cache of known ids is empty after a restart); readers GROUP BY id.
-- Every table is partitioned by day so retention drops whole partitions.

CREATE TABLE IF NOT EXISTS functions (
  tenant LowCardinality(String),
  day Date,
  function_id Int64,
  name String,
  system_name String,
  filename String,
  start_line Int64
) ENGINE = ReplacingMergeTree
PARTITION BY day
ORDER BY (tenant, function_id)
TTL day + INTERVAL ${retention_days} DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS mappings (
  tenant LowCardinality(String),
  day Date,
  mapping_id Int64,
  filename String,
  build_id String,
  build_id_kind LowCardinality(String)
) ENGINE = ReplacingMergeTree
PARTITION BY day
ORDER BY (tenant, mapping_id)
TTL day + INTERVAL ${retention_days} DAY
SETTINGS ttl_only_drop_parts = 1;

-- lines: per inlined line, innermost first, aligned with function_ids.
CREATE TABLE IF NOT EXISTS locations (
  tenant LowCardinality(String),
  day Date,
  location_id Int64,
  mapping_id Int64,
  address UInt64,
  function_ids Array(Int64),
  lines Array(Int64),
  columns Array(Int64),
  frame_type LowCardinality(String)
) ENGINE = ReplacingMergeTree
PARTITION BY day
ORDER BY (tenant, location_id)
TTL day + INTERVAL ${retention_days} DAY
SETTINGS ttl_only_drop_parts = 1;

-- Both arrays leaf first; function_ids has inlined frames expanded, for function-level queries.
CREATE TABLE IF NOT EXISTS stacks (
  tenant LowCardinality(String),
  day Date,
  stack_id Int64,
  location_ids Array(Int64),
  function_ids Array(Int64)
) ENGINE = ReplacingMergeTree
PARTITION BY day
ORDER BY (tenant, stack_id)
TTL day + INTERVAL ${retention_days} DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS series (
  tenant LowCardinality(String),
  day Date,
  profile_type LowCardinality(String),
  series_id Int64,
  labels Map(String, String)
) ENGINE = ReplacingMergeTree
PARTITION BY day
ORDER BY (tenant, profile_type, series_id)
TTL day + INTERVAL ${retention_days} DAY
SETTINGS ttl_only_drop_parts = 1;

-- Facts: one row per (series, stack, profile time or sample second), values and counts summed.
CREATE TABLE IF NOT EXISTS samples (
  ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  tenant LowCardinality(String),
  profile_type LowCardinality(String),
  series_id Int64,
  stack_id Int64,
  value Int64 CODEC(T64, ZSTD(1)),
  count UInt32 CODEC(T64, ZSTD(1))
) ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (tenant, profile_type, series_id, ts, stack_id)
TTL toDate(ts) + INTERVAL ${retention_days} DAY
SETTINGS ttl_only_drop_parts = 1;
