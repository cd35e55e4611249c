#!/usr/bin/env bash
# Codec benchmark: decode throughput of pprof and OTLP payloads, and the cost of hashing stacks.
exec "$(dirname "${BASH_SOURCE[0]}")/bench.sh" model dev.hearth.model.bench.CodecBenchmark "$@"
