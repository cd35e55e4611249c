#!/usr/bin/env bash
# The OpenTelemetry eBPF profiler and Hearth's agent profile the same process, one after the other,
# into one Hearth server; both must land under one CPU profile type with the same series labels.
# Needs root (both load BPF programs). Builds the profiler from its Go module (the module proxy
# serves it by version; a cold build takes several minutes, so scripts/test.sh runs this only
# with HEARTH_COMPAT_OTEL_EBPF=1).
#   compat/otel-ebpf/run.sh [--jar server.jar]
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/env.sh"
cd "$HEARTH_ROOT"
EBPF_PROFILER=v0.0.202633    # go.opentelemetry.io/ebpf-profiler
SECONDS_EACH=${HEARTH_OTEL_EBPF_SECONDS:-20}
[ "$(id -u)" = 0 ] || { echo "otel-ebpf: needs root"; exit 3; }
# The profiler raises RLIMIT_MEMLOCK to infinity before loading its programs and stops when it
# cannot: that takes CAP_SYS_RESOURCE (bit 24), which some sandboxes drop even for root.
if (( ! ($(awk '/^CapEff/ {print "0x" $2}' /proc/self/status) >> 24 & 1) )); then
  echo "otel-ebpf: no CAP_SYS_RESOURCE here; the eBPF profiler cannot raise RLIMIT_MEMLOCK and would exit"
  exit 4
fi

jar=""
if [ "${1:-}" = --jar ]; then jar=$2; fi
[ -n "$jar" ] || jar=$(ls server/target/hearth-server-*.jar 2>/dev/null | grep -v -- -plain | head -1)
[ -f "$jar" ] || { echo "otel-ebpf: no server jar"; exit 1; }

cache=${HEARTH_CACHE:-$HOME/.cache/hearth}/ebpf-profiler-$EBPF_PROFILER
profiler=$cache/ebpf-profiler
if [ ! -x "$profiler" ]; then
  echo "otel-ebpf: building go.opentelemetry.io/ebpf-profiler@$EBPF_PROFILER (once)…" >&2
  mkdir -p "$cache/mod" && (
    cd "$cache/mod" &&
      printf 'module hearth.dev/otelbuild\n\ngo 1.25\n' >go.mod &&
      printf '//go:build tools\n\npackage tools\n\nimport _ "go.opentelemetry.io/ebpf-profiler"\n' >tools.go &&
      GOFLAGS=-mod=mod go get "go.opentelemetry.io/ebpf-profiler@$EBPF_PROFILER" &&
      GOFLAGS=-mod=mod CGO_ENABLED=0 go build -o "$profiler" go.opentelemetry.io/ebpf-profiler
  ) >"$cache/build.log" 2>&1 || { echo "otel-ebpf: build failed:"; tail -20 "$cache/build.log"; exit 1; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hearth-otel-ebpf.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ "${HEARTH_KEEP:-0}" = 1 ] && echo "otel-ebpf: kept $work" || rm -rf "$work"
}
trap cleanup EXIT
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
http_port=$(free_port)
grpc_port=$(free_port)
base="http://127.0.0.1:$http_port"

gcc -O2 -fomit-frame-pointer -o "$work/hearth-chain" agent-lite/src/test/c/chain.c || exit 1
java --enable-native-access=ALL-UNNAMED -jar "$jar" --server.port="$http_port" \
  --spring.grpc.server.port="$grpc_port" --clickhouse.data-dir="$work/data" \
  --logging.level.root=WARN >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fsS "$base/health" >/dev/null 2>&1 && break; sleep 1; done

"$work/hearth-chain" $((3 * SECONDS_EACH + 30)) &
target=$!
pids+=($target)

# One producer at a time, each in its own time window, so their series can be told apart.
window() { # name command...
  local name=$1 from until p
  shift
  from=$(date +%s)
  "$@" >"$work/$name.log" 2>&1 &
  p=$!
  pids+=($p)
  sleep "$SECONDS_EACH"
  kill -INT "$p" 2>/dev/null
  sleep 3
  kill "$p" 2>/dev/null
  until=$(date +%s)
  echo "$from $until"
}
read -r ebpf_from ebpf_until < <(window ebpf-profiler "$profiler" -collection-agent "127.0.0.1:$grpc_port" \
  -disable-tls -reporter-interval 5s -samples-per-second 20)
sleep 2
read -r agent_from agent_until < <(window agent env HEARTH_SKIP_BUILD="${HEARTH_SKIP_BUILD:-0}" \
  ./scripts/agent.sh --server "127.0.0.1:$grpc_port" --pid "$target" --interval 5s)

node compat/otel-ebpf/compare.mjs "$base" hearth-chain "$ebpf_from" "$ebpf_until" "$agent_from" "$agent_until"
rc=$?
[ $rc = 0 ] || for f in "$work/ebpf-profiler.log" "$work/agent.log"; do echo "== $f"; tail -n 8 "$f"; done
exit $rc
