#!/usr/bin/env bash
# Ingest benchmark: the server on the embedded ClickHouse, clients pushing gzip pprof to /ingest.
# Arguments (optional): clients seconds services samplesPerProfile (default 4 20 20 2000).
exec "$(dirname "${BASH_SOURCE[0]}")/bench.sh" server dev.hearth.server.ingest.bench.IngestBenchmark "$@"
