#!/usr/bin/env bash
# Ingest benchmark: the server (a child JVM with run.sh's heap settings) on the embedded ClickHouse,
# clients pushing pprof through one transport; prints samples/s, profiles/s, p50/p99 and the CPU and
# RSS of server and engine (idle and under load).
# Arguments (optional): mode clients seconds services samplesPerProfile warmupSeconds
# (default push 16 20 20 1500 5); mode is push (push.v1 over Connect), otlp (OTLP gRPC) or ingest
# (/ingest pprof). HEARTH_BENCH_SERVER_OPTS adds JVM options to the server (after HEARTH_SERVER_JVM_OPTS) (e.g. a JFR recording).
exec "$(dirname "${BASH_SOURCE[0]}")/bench.sh" server dev.hearth.server.ingest.bench.IngestBenchmark "$@"
