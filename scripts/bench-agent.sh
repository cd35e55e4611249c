#!/usr/bin/env bash
# The agent's own cost while it profiles a busy 2-CPU workload, system-wide, at 19 Hz and 99 Hz,
# exporting OTLP every 10 s to a local sink: the agent process's CPU % (of one CPU), BPF program run
# time (kernel.bpf_stats_enabled), RSS, and bytes sent per minute (gRPC wire bytes, gzip).
# Then, per profile type, the overhead each adds to a workload built to stress it and the adaptive
# controller holding its budgets while load rises (AgentBench). Arguments (optional):
# WINDOW_SECONDS (default 30) WARMUP_SECONDS (default 10), or "types [SECONDS]" for the per-type
# part only (default 4 s per run), or "runtimes [SECONDS] [HZ]" for the per-runtime part only
# (C, CPython 3.11/3.12/3.13, HotSpot 25/17 without flags; default 20 s at 19 Hz; RuntimeBench).
# Needs root.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
types_only=0
runtimes_only=0
if [ "${1:-}" = types ]; then types_only=1; shift; fi
if [ "${1:-}" = runtimes ]; then runtimes_only=1; shift; fi
runtimes_seconds=${1:-20}
runtimes_hz=${2:-19}
types_seconds=${1:-4}
window=${1:-30}
warmup=${2:-10}
[ "$(id -u)" -eq 0 ] || { echo "bench-agent needs root" >&2; exit 3; }
bpf_toolchain

cp_file=agent-lite/target/agent.classpath
./mvnw -q -B -ntp -pl agent-lite -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.outputFile="$HEARTH_ROOT/$cp_file.test" -Dmdep.includeScope=test >/dev/null
./mvnw -q -B -ntp -pl agent-lite -am package dependency:build-classpath -DskipTests -Dspotless.check.skip=true \
  -Dmdep.outputFile="$HEARTH_ROOT/$cp_file" -Dmdep.includeScope=runtime >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

per_type() {
  echo
  echo "per profile type (the agent in AgentBench's JVM, -XX:TieredStopAtLevel=1 like agent.sh):"
  (cd agent-lite && java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED \
    -cp "target/test-classes:target/classes:$(cat "$HEARTH_ROOT/$cp_file.test")" \
    dev.hearth.agent.bench.AgentBench "$1" 2>&1 | grep -v '^SLF4J')
}
per_runtime() {
  echo
  echo "per runtime (the agent in RuntimeBench's JVM, -XX:TieredStopAtLevel=1 like agent.sh):"
  (cd agent-lite && java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED \
    -cp "target/test-classes:target/classes:$(cat "$HEARTH_ROOT/$cp_file.test")" \
    dev.hearth.agent.bench.RuntimeBench "$1" "$2" 2>&1 | grep -v '^SLF4J')
}
if [ "$types_only" -eq 1 ]; then per_type "$types_seconds"; exit 0; fi
if [ "$runtimes_only" -eq 1 ]; then per_runtime "$runtimes_seconds" "$runtimes_hz"; exit 0; fi

gcc -O2 -fomit-frame-pointer -o "$work/chain" agent-lite/src/test/c/chain.c
total=$(( 2 * (window + warmup + 15) ))
"$work/chain" "$total" & pids+=($!)
"$work/chain" "$total" & pids+=($!)

port=$(( 20000 + RANDOM % 20000 ))
java -Xmx128m -XX:+UseSerialGC -cp "agent-lite/target/test-classes:agent-lite/target/classes:$(cat "$cp_file.test")" \
  dev.hearth.agent.bench.OtlpSink "$port" 2>"$work/sink.log" & pids+=($!)
sleep 2

sysctl -qw kernel.bpf_stats_enabled=1
hz_ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
bpf_stats() { bpftool prog show name on_cpu_sample --json 2>/dev/null | python3 -c 'import json,sys
d=json.load(sys.stdin); d=d if isinstance(d,list) else [d]
print(sum(p.get("run_time_ns",0) for p in d), sum(p.get("run_cnt",0) for p in d))'; }

printf '%-6s %12s %14s %14s %10s %10s %14s\n' "rate" "agent CPU %" "BPF CPU %" "BPF ns/sample" "RSS MB" "peak MB" "bytes/min"
for rate in 19 99; do
  started=$(date +%s)
  HEARTH_SKIP_BUILD=1 ./scripts/agent.sh --server "127.0.0.1:$port" --frequency "$rate" 2>"$work/agent.log" &
  agent=$!
  sleep "$warmup"
  jpid=$(pgrep -P "$agent" java || echo "$agent")
  t0=$(date +%s.%N); c0=$(cpu_ticks "$jpid"); read -r r0 n0 < <(bpf_stats)
  sleep "$window"
  t1=$(date +%s.%N); c1=$(cpu_ticks "$jpid"); read -r r1 n1 < <(bpf_stats)
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$jpid/status")
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$jpid/status")
  kill -TERM "$agent"; wait "$agent" || true   # SIGINT is ignored by background jobs of a script
  ran=$(( $(date +%s) - started ))
  wire=$(sed -n 's/.*wire_bytes=\([0-9]*\).*/\1/p' "$work/agent.log" | tail -1)
  python3 - "$rate" "$t0" "$t1" "$c0" "$c1" "$hz_ticks" "$r0" "$r1" "$n0" "$n1" "$rss" "$hwm" "${wire:-0}" "$ran" <<'PY'
import sys
rate, t0, t1, c0, c1, hz, r0, r1, n0, n1, rss, hwm, wire, ran = sys.argv[1:]
dt = float(t1) - float(t0)
cpu = (int(c1) - int(c0)) / int(hz) / dt * 100
bpf = (int(r1) - int(r0)) / 1e9 / dt * 100
per = (int(r1) - int(r0)) / max(1, int(n1) - int(n0))
print(f"{rate+' Hz':<6} {cpu:12.2f} {bpf:14.3f} {per:14.0f} {int(rss)/1024:10.1f} {int(hwm)/1024:10.1f} {int(wire)/max(1,int(ran))*60:14.0f}")
PY
done
sysctl -qw kernel.bpf_stats_enabled=0
echo "(agent CPU % and BPF CPU % are of one CPU; BPF time is the program's run time on all CPUs; 2 busy CPUs, system-wide, OTLP export every 10 s)"
per_type 4
per_runtime 20 19
