#!/usr/bin/env bash
# Compatibility suite: real Pyroscope SDKs, installed from their registries, push to a real Hearth
# server unchanged; each runs a small app with a known hot function, and the function must carry
# most of the flamegraph the query API returns for that app.
#   compat/run.sh [--jar server.jar]    (default: the built server/target/hearth-server-*.jar)
# Prints one line per client ("client version: passed|failed …") and a closing "N passed, N failed".
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
jar=""
# A relative --jar is relative to where the script was called from, not to compat/.
if [ "${1:-}" = --jar ]; then jar=$(realpath -e "$2" 2>/dev/null || echo "$2"); fi
cd "$HEARTH_ROOT/compat"

PYROSCOPE_IO=1.4.0          # PyPI pyroscope-io (python/requirements.txt pins the same)
PYROSCOPE_GO=v1.5.0         # github.com/grafana/pyroscope-go (go/go.mod)
PYROSCOPE_NODE=0.6.4        # npm @pyroscope/nodejs (node/package.json)
PYROSCOPE_JAVA=2.9.2        # Maven Central io.pyroscope:agent
PYROSCOPE_RUST=2.1.5        # crates.io pyroscope, feature backend-pprof-rs (rust/Cargo.toml, Cargo.lock)
PYROSCOPE_API=v1.5.0        # github.com/grafana/pyroscope/api, Alloy's push client (alloy/go.mod)
RUN_SECONDS=${HEARTH_COMPAT_SECONDS:-10}

[ -n "$jar" ] || jar=$(ls "$HEARTH_ROOT"/server/target/hearth-server-*.jar 2>/dev/null | grep -v -- -plain | head -1)
if [ -z "$jar" ] || [ ! -f "$jar" ]; then
  echo "compat: no server jar (build it: ./mvnw -pl server -am package -DskipTests)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hearth-compat.XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
http_port=$(free_port)
grpc_port=$(free_port)
base="http://127.0.0.1:$http_port"

# --- install the clients (in parallel with the server's start) -------------------------------
install_python() {
  { python3 -m venv "$work/venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$work/venv"; }; } &&
    "$work/venv/bin/pip" install -q --disable-pip-version-check -r python/requirements.txt
}
install_go() { (cd go && go build -o "$work/hot-go" .); }
install_node() { (cd node && npm ci --no-audit --no-fund --loglevel=error); }
install_rust() {
  command -v cargo >/dev/null || { echo "no cargo on PATH (Rust comes by rustup on Hearth's machines)"; return 1; }
  # Built once per machine: the target dir lives in the user's cache, not in the work tree.
  (cd rust && CARGO_TARGET_DIR=${HEARTH_CARGO_TARGET:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth/compat-rust} \
    cargo build --locked --quiet && cp "${HEARTH_CARGO_TARGET:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth/compat-rust}/debug/hearth-compat-rust" "$work/hot-rust")
}
install_alloy() { (cd alloy && go build -o "$work/alloy-shape" .); }
install_java() {
  "$HEARTH_ROOT/mvnw" -q -B -ntp -N -f "$HEARTH_ROOT/pom.xml" dependency:copy \
    -Dartifact="io.pyroscope:agent:$PYROSCOPE_JAVA" -DoutputDirectory="$work" &&
    javac -d "$work/java" java/HearthHot.java
}

java --enable-native-access=ALL-UNNAMED -jar "$jar" --server.port="$http_port" \
  --spring.grpc.server.port="$grpc_port" --clickhouse.data-dir="$work/data" \
  --logging.level.root=WARN >"$work/server.log" 2>&1 &
server_pid=$!

declare -A installed
for c in python go node rust alloy java; do
  if "install_$c" >"$work/install-$c.log" 2>&1; then installed[$c]=1; else installed[$c]=0; fi
done

for _ in $(seq 1 120); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "compat: the server died:"; tail -20 "$work/server.log"; exit 1; }
  sleep 1
done
curl -fsS "$base/health" >/dev/null || { echo "compat: the server did not come up"; exit 1; }

# --- run the apps at once; each pushes every few seconds while it burns CPU ------------------
pids=()
if [ "${installed[python]}" = 1 ]; then
  SERVER=$base APP=compat-python SECONDS_TO_RUN=$RUN_SECONDS "$work/venv/bin/python" python/hot.py >"$work/run-python.log" 2>&1 &
  pids+=($!)
fi
if [ "${installed[go]}" = 1 ]; then
  SERVER=$base APP=compat-go RUN_FOR=${RUN_SECONDS}s "$work/hot-go" >"$work/run-go.log" 2>&1 &
  pids+=($!)
fi
if [ "${installed[node]}" = 1 ]; then
  SERVER=$base APP=compat-node RUN_MS=$((RUN_SECONDS * 1000)) node node/hot.js >"$work/run-node.log" 2>&1 &
  pids+=($!)
fi
if [ "${installed[rust]}" = 1 ]; then
  SERVER=$base APP=compat-rust RUN_MS=$((RUN_SECONDS * 1000)) "$work/hot-rust" >"$work/run-rust.log" 2>&1 &
  pids+=($!)
fi
if [ "${installed[alloy]}" = 1 ]; then
  SERVER=$base APP=compat-alloy PUSHES=3 "$work/alloy-shape" >"$work/run-alloy.log" 2>&1 &
  pids+=($!)
fi
if [ "${installed[java]}" = 1 ]; then
  PYROSCOPE_APPLICATION_NAME=compat-java PYROSCOPE_SERVER_ADDRESS=$base PYROSCOPE_UPLOAD_INTERVAL=3s \
    PYROSCOPE_LABELS=env=compat java -javaagent:"$work/agent-$PYROSCOPE_JAVA.jar" -cp "$work/java" \
    HearthHot $((RUN_SECONDS * 1000)) >"$work/run-java.log" 2>&1 &
  pids+=($!)
fi
for p in "${pids[@]}"; do
  # Bounded: an app that hangs is killed, and its check then fails.
  timeout $((RUN_SECONDS + 60)) tail --pid="$p" -f /dev/null || kill "$p" 2>/dev/null
done

# --- check each app's flamegraph --------------------------------------------------------------
passed=0 failed=0
CPU=process_cpu:cpu:nanoseconds:cpu:nanoseconds
check() { # name version installed type matchers function [min-share]
  local name=$1 version=$2 ok=$3 out
  if [ "$ok" != 1 ]; then
    echo "$name $version: failed (did not install; see below)"
    tail -5 "$work/install-${name%% *}.log" | sed 's/^/  /'
    failed=$((failed + 1))
    return
  fi
  if out=$(node check.mjs "$base" "$4" "$5" "$6" ${7:+"$7"}); then
    echo "$name $version: passed ($out)"
    passed=$((passed + 1))
  else
    echo "$name $version: failed ($out)"
    tail -5 "$work/run-${name%% *}.log" | sed 's/^/  /'
    failed=$((failed + 1))
  fi
}
check "python pyroscope-io" "$PYROSCOPE_IO" "${installed[python]}" "$CPU" \
  'service_name="compat-python","otel.scope.name"="com.grafana.pyroscope/python"' hearth_hot_python
check "go github.com/grafana/pyroscope-go" "$PYROSCOPE_GO" "${installed[go]}" "$CPU" \
  'service_name="compat-go",env="compat"' main.hearthHotGo
check "node @pyroscope/nodejs" "$PYROSCOPE_NODE" "${installed[node]}" wall:wall:nanoseconds:wall:nanoseconds \
  'service_name="compat-node",env="compat"' hearthHotNode
check "java io.pyroscope:agent" "$PYROSCOPE_JAVA" "${installed[java]}" "$CPU" \
  'service_name="compat-java",env="compat"' HearthHot.hearthHotJava
check "rust pyroscope (pprof-rs)" "$PYROSCOPE_RUST" "${installed[rust]}" "$CPU" \
  'service_name="compat-rust",env="compat","otel.scope.name"=~".+"' hearth_hot_rust
# Alloy's pyroscope.write, one line per source it forwards (alloy/main.go says what each sends).
check "alloy pyroscope.write (ebpf)" "$PYROSCOPE_API" "${installed[alloy]}" "$CPU" \
  'service_name="compat-alloy-ebpf",container_id="c0ffee","otel.scope.name"="com.grafana.alloy/pyroscope.ebpf"' hearthHotAlloy 0.85
check "alloy pyroscope.write (java)" "$PYROSCOPE_API" "${installed[alloy]}" "$CPU" \
  'service_name="compat-alloy-java",jfr_event="itimer",pyroscope_spy="alloy.java"' hearthHotAlloy 0.85
check "alloy pyroscope.write (receive_http /ingest)" "$PYROSCOPE_API" "${installed[alloy]}" "$CPU" \
  'service_name="compat-alloy-ingest",env="compat"' hearthHotAlloy 0.85
rejected=$(curl -fsS "$base/metrics" | grep -E '^hearth_ingest_rejected_total' || true)
if [ -n "$rejected" ]; then
  echo "compat: the server refused requests:"; echo "$rejected" | sed 's/^/  /'
  failed=$((failed + 1))
fi
echo "compat: $passed passed, $failed failed"
[ "$failed" = 0 ]
