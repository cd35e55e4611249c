#!/usr/bin/env bash
# Runs the eBPF profiler (needs root) from its one self-contained artifact, the agent jar
# (agent-lite/target/hearth-agent-lite-*-all.jar: classes, libraries and BPF objects), building it
# first from this source tree if need be. HEARTH_AGENT_JAR=<jar> runs a jar built elsewhere. With no --server or --output it
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
jar=${HEARTH_AGENT_JAR:-}
if [ -z "$jar" ]; then
  jar=$(ls agent-lite/target/hearth-agent-lite-*-all.jar 2>/dev/null | head -1 || true)
  if [ "${HEARTH_SKIP_BUILD:-0}" != 1 ] || [ -z "$jar" ]; then
    bpf_toolchain
    echo "hearth: building the agent jar…" >&2
    ./mvnw -q -B -ntp -pl agent-lite -am package -DskipTests -Dspotless.check.skip=true >/dev/null
    jar=$(ls agent-lite/target/hearth-agent-lite-*-all.jar | head -1)
  fi
fi
case " $* " in
  *" --server"* | *" --output"* | *" --config"* | *" --help"*) ;;
  *) set -- --server localhost:4317 "$@" ;;
esac
# A small, quiet JVM: the agent's own cost is part of what it promises.
opts=${HEARTH_AGENT_JAVA_OPTS:--Xms16m -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss512k}
# shellcheck disable=SC2086
exec java $opts -jar "$jar" "$@"
