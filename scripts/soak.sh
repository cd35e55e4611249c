#!/usr/bin/env bash
# Soak: the server jar on the embedded ClickHouse, loopback only, under steady ingest and queries for
# N minutes; every 30 s it prints the resident memory of the server and of the engine, and the
# requests done. Bounded: it stops after N minutes (default 10) and stops the server it started.
# Arguments (optional): minutes ingestClients queryClients stacksPerBody (default 10 4 2 2000).
# Ports: HEARTH_SOAK_HTTP_PORT / HEARTH_SOAK_GRPC_PORT (default 4116 / 4316).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
minutes=${1:-10}
ingest_clients=${2:-4}
query_clients=${3:-2}
stacks=${4:-2000}
http_port=${HEARTH_SOAK_HTTP_PORT:-4116}
grpc_port=${HEARTH_SOAK_GRPC_PORT:-4316}
jar=${HEARTH_SOAK_JAR:-$(ls server/target/hearth-server-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)}
if [ -z "$jar" ]; then
  ./mvnw -B -ntp -q -Dhearth.skipBpf -DskipTests package -pl server -am
  jar=$(ls server/target/hearth-server-*.jar | grep -v -- '-plain' | head -1)
fi
work=$(mktemp -d /tmp/hearth-soak.XXXXXX)
base="http://127.0.0.1:$http_port"
# shellcheck disable=SC2086  # the JVM options are words
java --enable-native-access=ALL-UNNAMED $HEARTH_SERVER_JVM_OPTS -jar "$jar" \
  --server.address=127.0.0.1 --server.port="$http_port" \
  --spring.grpc.server.port="$grpc_port" \
  --clickhouse.data-dir="$work/data" > "$work/server.log" 2>&1 &
server=$!
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "$base/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { echo "server died:"; tail -20 "$work/server.log"; exit 1; }
  sleep 1
done
curl -sf "$base/health" >/dev/null || { echo "server not healthy after 120 s"; exit 1; }

rss_mib() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "-"; }
engine_pid() { curl -s "$base/health" | grep -o '"pid":[0-9]*' | head -1 | cut -d: -f2; }

# One folded body per client: $stacks distinct stacks of depth 20 (the same every round, as a
# service's hot paths are), so dictionaries dedup and samples grow.
for c in $(seq 1 "$ingest_clients"); do
  awk -v c="$c" -v n="$stacks" 'BEGIN { for (i = 0; i < n; i++) { s = "main"; for (d = 0; d < 20; d++) s = s ";svc" c "_f" ((i * 7 + d * 13) % 997) "_" d; print s " " (i % 50 + 1) } }' > "$work/body$c.folded"
done
mkdir -p "$work/counts"
deadline=$(( $(date +%s) + minutes * 60 ))
for c in $(seq 1 "$ingest_clients"); do
  (
    n=0
    while [ "$(date +%s)" -lt "$deadline" ]; do
      now=$(date +%s)
      curl -s -o /dev/null --data-binary @"$work/body$c.folded" \
        "$base/ingest?name=soak-$c.cpu%7Benv%3Dsoak%7D&sampleRate=100&from=$((now - 10))&until=$now" || true
      n=$((n + 1)); echo "$n" > "$work/counts/ingest$c"
    done
  ) &
  pids+=($!)
done
cpu='process_cpu:cpu:nanoseconds:cpu:nanoseconds'
for c in $(seq 1 "$query_clients"); do
  (
    n=0
    while [ "$(date +%s)" -lt "$deadline" ]; do
      curl -s -o /dev/null -G "$base/api/v1/flamegraph" --data-urlencode "query=$cpu{service_name=\"soak-$c\"}" -d from=now-15m || true
      curl -s -o /dev/null -G "$base/api/v1/series" --data-urlencode "query=$cpu{}" -d from=now-15m -d groupBy=service_name || true
      n=$((n + 2)); echo "$n" > "$work/counts/query$c"
      sleep 0.5
    done
  ) &
  pids+=($!)
done

total() { cat "$work"/counts/$1* 2>/dev/null | awk '{s += $1} END {print s + 0}'; }
printf '%8s %12s %12s %10s %10s\n' elapsed server_MiB engine_MiB ingests queries
start=$(date +%s)
while :; do
  e=$(( $(date +%s) - start ))
  printf '%7ss %12s %12s %10s %10s\n' "$e" "$(rss_mib "$server")" "$(rss_mib "$(engine_pid)")" "$(total ingest)" "$(total query)"
  [ "$(date +%s)" -ge "$deadline" ] && break
  sleep 30
done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
echo "health after the soak: $(curl -s -o /dev/null -w '%{http_code}' "$base/health")"
