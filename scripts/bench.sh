#!/usr/bin/env bash
# Runs a benchmark program from a module's test sources: scripts/bench.sh MODULE MAIN_CLASS [ARGS...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
module=$1 main=$2
shift 2
./mvnw -q -B -ntp -pl "$module" -am install -DskipTests -Dspotless.check.skip=true >/dev/null
./mvnw -q -B -ntp -pl "$module" dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
./mvnw -q -B -ntp -pl "$module" test-compile -Dspotless.check.skip=true >/dev/null
cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")"
exec java --enable-native-access=ALL-UNNAMED -Xmx4g -cp "$cp" "$main" "$@"
