#!/usr/bin/env bash
# Storage benchmark: fleet-shaped writes into the embedded ClickHouse, bytes on disk, one-hour merge latency.
# Arguments (optional): services stacks depth rounds samplesPerProfile (default 100 1000 30 30 2000).
exec "$(dirname "${BASH_SOURCE[0]}")/bench.sh" storage dev.hearth.storage.bench.StorageBenchmark "$@"
