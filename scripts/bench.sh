#!/usr/bin/env bash
# Runs a benchmark program from a module's test sources: scripts/bench.sh MODULE MAIN_CLASS [ARGS...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
module=$1 main=$2
shift 2
# One reactor build: sibling modules resolve to their target/classes in this tree, never to whatever
# another checkout last installed into ~/.m2.
./mvnw -q -B -ntp -pl "$module" -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")"
exec java --enable-native-access=ALL-UNNAMED -Xmx4g -cp "$cp" "$main" "$@"
