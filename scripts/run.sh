#!/usr/bin/env bash
# Builds Hearth and runs the server (HTTP :4040, gRPC :4317) with the embedded ClickHouse in ./data;
# run as root, it also starts the eBPF agent (scripts/agent.sh), which profiles this machine and
# exports to that server. Stopping the script (Ctrl-C) stops both.
# Pass Spring-style options through, e.g. ./scripts/run.sh --clickhouse.url=http://ch:8123
# Environment: HEARTH_SKIP_BUILD=1 reuses the last build; HEARTH_AGENT=0 runs the server alone;
# HEARTH_AGENT_ARGS replaces the agent's default options (whole host: CPU, off-CPU and block IO,
# kept within 2% of one CPU and 2000 events/s, so Correlate has data out of the box).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
command -v npm >/dev/null || apt_install nodejs npm   # builds the UI; fetches the embedded engine on first start
# llvm-symbolizer names frames producers sent unsymbolised (without it they stay file+0xoffset).
command -v llvm-symbolizer >/dev/null || apt_install llvm || echo "hearth: without llvm, frames sent unsymbolised stay unnamed" >&2
if [ "${HEARTH_SKIP_BUILD:-0}" != 1 ]; then
  echo "hearth: building (first run downloads Maven and dependencies)…" >&2
  ./mvnw -q -B -ntp -pl server -am clean package -DskipTests -Dspotless.check.skip=true
fi
jar=$(ls server/target/hearth-server-*.jar | grep -v -- '-plain' | head -1)
if [ "$(id -u)" -ne 0 ] || [ "${HEARTH_AGENT:-1}" = 0 ]; then
  # shellcheck disable=SC2086  # the JVM options are words
  exec java --enable-native-access=ALL-UNNAMED $HEARTH_SERVER_JVM_OPTS -jar "$jar" "$@"
fi

# shellcheck disable=SC2086
java --enable-native-access=ALL-UNNAMED $HEARTH_SERVER_JVM_OPTS -jar "$jar" "$@" &
server=$!
agent=
stop() {
  [ -n "$agent" ] && kill -TERM "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
  kill -TERM "$server" 2>/dev/null
  wait "$server" 2>/dev/null
}
trap 'stop; exit 130' INT TERM
http_port=${HEARTH_HTTP_PORT:-4040}
grpc_port=${HEARTH_GRPC_PORT:-4317}
for arg in "$@"; do
  case "$arg" in
    --server.port=*) http_port=${arg#*=} ;;
    --spring.grpc.server.port=*) grpc_port=${arg#*=} ;;
  esac
done
echo "hearth: waiting for the server before starting the agent…" >&2
until curl -sf "http://127.0.0.1:$http_port/health" >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit $?; }
  sleep 1
done
agent_args=${HEARTH_AGENT_ARGS:---off-cpu --block-io --cpu-budget 2 --event-budget 2000}
# The agent uploads debug info of the objects it meets that this server lacks.
# shellcheck disable=SC2086
HEARTH_SYMBOLS_URL=${HEARTH_SYMBOLS_URL:-http://127.0.0.1:$http_port} \
  ./scripts/agent.sh --server "127.0.0.1:$grpc_port" $agent_args &
agent=$!
wait "$server"
status=$?
stop
exit "$status"
