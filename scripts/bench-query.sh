#!/usr/bin/env bash
# Query benchmark: 24 h of CPU profiles for a fleet in the embedded ClickHouse; p50/p95 latency of
# flamegraph (1 h / 24 h, one service / all), diff, series and label values, and RSS.
# Arguments (optional): services stacksPerService samplesPerProfile runs coldRuns (default 50 1000 100
# 20 5); HEARTH_BENCH_ONLY=<regex> times only the queries it names. Each query is timed cold (new
# QueryEngine, engine caches dropped, after untimed runs that compile the code) and warm, with CPU
# time. HEARTH_BENCH_DIR keeps the generated data; HEARTH_BENCH_JAVA_OPTS adds JVM options.
# Builds in the reactor (nothing is installed into ~/.m2).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
./mvnw -q -B -ntp -pl query -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test -Dspotless.check.skip=true >/dev/null
cp="query/target/test-classes:query/target/classes:$(cat query/target/bench.classpath)"
exec java --enable-native-access=ALL-UNNAMED -Xmx4g ${HEARTH_BENCH_JAVA_OPTS:-} -cp "$cp" dev.hearth.query.bench.QueryBenchmark "$@"
