#!/usr/bin/env bash
# Symbolisation benchmark: frames/s to name 10,000 distinct unsymbolised frames (cold through
# llvm-symbolizer, from ClickHouse's stored frames after a restart, from memory) and the flamegraph
# latency of a 10,000-frame unsymbolised profile with and without symbolisation.
# Arguments (optional): functions runs (default 2500 7). Builds in the reactor (nothing installed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
command -v llvm-symbolizer >/dev/null || apt_install llvm
command -v gcc >/dev/null || apt_install gcc libc6-dev
./mvnw -q -B -ntp -pl symbols -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test -Dspotless.check.skip=true >/dev/null
cp="symbols/target/test-classes:symbols/target/classes:$(cat symbols/target/bench.classpath)"
exec java --enable-native-access=ALL-UNNAMED -Xmx2g -cp "$cp" dev.hearth.symbols.bench.SymbolsBenchmark "$@"
