#!/usr/bin/env bash
# Builds Hearth and runs the server (HTTP :4040, gRPC :4317) with the embedded ClickHouse in ./data.
# Pass Spring-style options through, e.g. ./scripts/run.sh --clickhouse.url=http://ch:8123
# Environment: HEARTH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
command -v npm >/dev/null || apt_install npm   # fetches the embedded engine's libchdb.so on first start
if [ "${HEARTH_SKIP_BUILD:-0}" != 1 ]; then
  echo "hearth: building (first run downloads Maven and dependencies)…" >&2
  ./mvnw -q -B -ntp -pl server -am clean package -DskipTests -Dspotless.check.skip=true
fi
exec java --enable-native-access=ALL-UNNAMED -jar server/target/hearth-server-*.jar "$@"
