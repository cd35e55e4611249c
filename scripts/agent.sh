#!/usr/bin/env bash
# Builds agent-lite and runs the eBPF CPU profiler (needs root). With no --server or --output it
# exports to the local Hearth server's gRPC port: ./scripts/agent.sh  (= --server localhost:4317)
# One-shot pprof, like perf record: ./scripts/agent.sh --output cpu.pb.gz --duration 30s
# Options: ./scripts/agent.sh --help. Environment: HEARTH_SKIP_BUILD=1 reuses the last build,
# HEARTH_AGENT_JAVA_OPTS replaces the JVM options.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
if [ "$(id -u)" -ne 0 ]; then
  echo "hearth-agent needs root (CAP_BPF and CAP_PERFMON): sudo $0 $*" >&2
  exit 3
fi
cp_file=agent-lite/target/agent.classpath
if [ "${HEARTH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$cp_file" ]; then
  bpf_toolchain
  echo "hearth: building agent-lite…" >&2
  ./mvnw -q -B -ntp -pl agent-lite -am package dependency:build-classpath -DskipTests \
    -Dspotless.check.skip=true -Dmdep.outputFile="$HEARTH_ROOT/$cp_file" -Dmdep.includeScope=runtime >/dev/null
fi
case " $* " in
  *" --server"* | *" --output"* | *" --config"* | *" --help"*) ;;
  *) set -- --server localhost:4317 "$@" ;;
esac
# A small, quiet JVM: the agent's own cost is part of what it promises.
opts=${HEARTH_AGENT_JAVA_OPTS:--Xms16m -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss512k}
# shellcheck disable=SC2086
exec java --enable-native-access=ALL-UNNAMED $opts \
  -cp "agent-lite/target/classes:$(cat "$cp_file")" dev.hearth.agent.AgentMain "$@"
