#!/usr/bin/env bash
# The OpenTelemetry eBPF profiler and Hearth's agent profile the same process, one after the other,
# into one Hearth server; both must land under one CPU profile type with the same series labels.
# Needs root (both load BPF programs). Builds the profiler from its Go module's source (fetched by
# the module proxy at the pinned version) with one patch, memlock.patch (compat/README.md says
# why); the binary is cached, so only the first run builds it. The profiler's exports reach the
# server through recorder/, which keeps each request's bytes (HEARTH_OTEL_EBPF_RECORD=DIR copies
# them there; make-fixture.sh uses that).
#   compat/otel-ebpf/run.sh [--jar server.jar]
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/env.sh"
cd "$HEARTH_ROOT"
EBPF_PROFILER=v0.0.202633    # go.opentelemetry.io/ebpf-profiler
SECONDS_EACH=${HEARTH_OTEL_EBPF_SECONDS:-20}
here=compat/otel-ebpf
[ "$(id -u)" = 0 ] || { echo "otel-ebpf: needs root"; exit 3; }
command -v patch >/dev/null || apt_install patch
# Without CAP_SYS_RESOURCE (bit 24; some sandboxes drop it even for root) the profiler cannot raise
# RLIMIT_MEMLOCK; the patched build goes on without (memcg accounting, Linux >= 5.11).
if (( ! ($(awk '/^CapEff/ {print "0x" $2}' /proc/self/status) >> 24 & 1) )); then
  echo "otel-ebpf: no CAP_SYS_RESOURCE here; the patched profiler keeps RLIMIT_MEMLOCK as it is" >&2
fi

jar=""
if [ "${1:-}" = --jar ]; then jar=$2; fi
[ -n "$jar" ] || jar=$(ls server/target/hearth-server-*.jar 2>/dev/null | grep -v -- -plain | head -1)
[ -f "$jar" ] || { echo "otel-ebpf: no server jar"; exit 1; }

# The patched build has its own cache name, so an unpatched build is never taken for it.
cache=${HEARTH_CACHE:-$HOME/.cache/hearth}/ebpf-profiler-$EBPF_PROFILER-memlock
profiler=$cache/ebpf-profiler
recorder=$cache/recorder
mkdir -p "$cache"
if [ ! -x "$profiler" ] || [ "$here/memlock.patch" -nt "$profiler" ]; then
  echo "otel-ebpf: building go.opentelemetry.io/ebpf-profiler@$EBPF_PROFILER with memlock.patch…" >&2
  start=$SECONDS
  (
    set -e
    # The module proxy serves the source; the module cache keeps it read-only, so build a copy.
    dir=$(GOFLAGS=-mod=mod go mod download -json "go.opentelemetry.io/ebpf-profiler@$EBPF_PROFILER" |
      sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    [ -d "$dir" ]
    rm -rf "$cache/src"
    cp -r "$dir" "$cache/src"
    chmod -R u+w "$cache/src"
    patch -d "$cache/src" -p1 --no-backup-if-mismatch <"$here/memlock.patch"
    cd "$cache/src"
    CGO_ENABLED=0 go build -trimpath -o "$profiler.tmp" .
    mv "$profiler.tmp" "$profiler"
  ) >"$cache/build.log" 2>&1 || { echo "otel-ebpf: build failed:"; tail -20 "$cache/build.log"; exit 1; }
  echo "otel-ebpf: profiler built in $((SECONDS - start)) s" >&2
fi
if [ ! -x "$recorder" ] || [ "$here/recorder/main.go" -nt "$recorder" ]; then
  (cd "$here/recorder" && CGO_ENABLED=0 go build -o "$recorder" .) >"$cache/recorder-build.log" 2>&1 ||
    { echo "otel-ebpf: recorder build failed:"; tail -20 "$cache/recorder-build.log"; exit 1; }
fi

# The profiler attaches its scheduler tracepoints through tracefs; mount it where nothing did
# (this sandbox), and unmount it again at the end.
mounted_tracefs=0
if [ ! -d /sys/kernel/tracing/events ] && [ ! -d /sys/kernel/debug/tracing/events ]; then
  mount -t tracefs tracefs /sys/kernel/tracing || { echo "otel-ebpf: cannot mount tracefs"; exit 1; }
  mounted_tracefs=1
  echo "otel-ebpf: mounted tracefs on /sys/kernel/tracing for the run" >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hearth-otel-ebpf.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ "$mounted_tracefs" = 1 ] && umount /sys/kernel/tracing
  [ "${HEARTH_KEEP:-0}" = 1 ] && echo "otel-ebpf: kept $work" || rm -rf "$work"
}
trap cleanup EXIT
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
http_port=$(free_port)
grpc_port=$(free_port)
relay_port=$(free_port)
base="http://127.0.0.1:$http_port"

gcc -O2 -fomit-frame-pointer -o "$work/hearth-chain" agent-lite/src/test/c/chain.c || exit 1
java --enable-native-access=ALL-UNNAMED -jar "$jar" --server.port="$http_port" \
  --spring.grpc.server.port="$grpc_port" --clickhouse.data-dir="$work/data" \
  --logging.level.root=WARN >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fsS "$base/health" >/dev/null 2>&1 && break; sleep 1; done

# The relay stands in for the OTel Collector the profiler is deployed with: it adds host.name as the
# collector's resourcedetection processor does (the profiler sends none) and keeps the raw requests.
mkdir -p "$work/otlp"
"$recorder" -listen "127.0.0.1:$relay_port" -upstream "127.0.0.1:$grpc_port" -dir "$work/otlp" \
  -host-name "$(hostname)" \
  >"$work/recorder.log" 2>&1 &
pids+=($!)

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
  # The profiler needs a while (BPF load, first process scan) before its first export; its window
  # runs from that export on, so a slow machine does not shorten it.
  if [ -n "${ready:-}" ]; then
    for _ in $(seq 1 90); do [ -e "$ready" ] && break; sleep 1; done
  fi
  sleep "$SECONDS_EACH"
  kill -INT "$p" 2>/dev/null
  sleep 3
  kill "$p" 2>/dev/null
  until=$(date +%s)
  echo "$from $until"
}
read -r ebpf_from ebpf_until < <(ready=$work/otlp/001.pb window ebpf-profiler "$profiler" -collection-agent "127.0.0.1:$relay_port" \
  -disable-tls -reporter-interval 5s -samples-per-second 20)
node $here/compare.mjs snap "$base" hearth-chain "$ebpf_from" "$ebpf_until" >"$work/ebpf.json" || exit 1
sleep 2
read -r agent_from agent_until < <(window agent env HEARTH_SKIP_BUILD="${HEARTH_SKIP_BUILD:-0}" \
  ./scripts/agent.sh --server "127.0.0.1:$grpc_port" --pid "$target" --interval 5s)
node $here/compare.mjs snap "$base" hearth-chain "$agent_from" "$agent_until" >"$work/agent.json" || exit 1

node $here/compare.mjs check "$work/ebpf.json" "$work/agent.json"
rc=$?
if [ -n "${HEARTH_OTEL_EBPF_RECORD:-}" ]; then
  mkdir -p "$HEARTH_OTEL_EBPF_RECORD" && cp "$work"/otlp/*.pb "$HEARTH_OTEL_EBPF_RECORD"/ 2>/dev/null
fi
[ $rc = 0 ] || for f in "$work/ebpf-profiler.log" "$work/recorder.log" "$work/agent.log"; do echo "== $f"; tail -n 8 "$f"; done
exit $rc
