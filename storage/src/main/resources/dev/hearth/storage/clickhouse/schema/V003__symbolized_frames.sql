-- Frames the server symbolised from debug files, keyed by (tenant, build id, address). Queries
-- read names from here, so a frame symbolised once keeps its name across restarts and servers,
-- and data written before its debug file arrived shows the name too. version is the modification
-- time (ms) of the debug file the frames came from: a newer upload replaces older rows. Arrays are
-- per line, innermost (inlined) first; empty arrays: the debug file has no symbol there.
CREATE TABLE IF NOT EXISTS symbolized_frames (
  tenant LowCardinality(String),
  build_id String,
  address UInt64,
  version Int64,
  names Array(String),
  system_names Array(String),
  filenames Array(String),
  start_lines Array(Int64),
  lines Array(Int64),
  columns Array(Int64),
  resolved DateTime DEFAULT now()
) ENGINE = ReplacingMergeTree(version)
ORDER BY (tenant, build_id, address)
TTL resolved + INTERVAL ${retention_days} DAY;
