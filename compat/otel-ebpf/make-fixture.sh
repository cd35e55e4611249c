#!/usr/bin/env bash
# Remakes the recorded export ingest's OtelEbpfFixtureTest reads: runs run.sh (root; the real
# profiler against the real server) with the relay's recording on and keeps the profiler's second
# request, its first full reporter interval, byte for byte as the profiler sent it (gzip transport
# compression undone, no host.name added). It must name hearth-chain and stay under 200 KB.
#   compat/otel-ebpf/make-fixture.sh [--jar server.jar]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/env.sh"
cd "$HEARTH_ROOT"
out=ingest/src/test/resources/otel-ebpf/export-v0.0.202633.pb
rec=$(mktemp -d "${TMPDIR:-/tmp}/hearth-otel-record.XXXXXX")
trap 'rm -rf "$rec"' EXIT
HEARTH_OTEL_EBPF_RECORD=$rec ./compat/otel-ebpf/run.sh "$@"
f=$rec/002.pb
[ -f "$f" ] || { echo "make-fixture: the profiler sent fewer than two requests"; exit 1; }
grep -q hearth-chain "$f" || { echo "make-fixture: $f does not name hearth-chain"; exit 1; }
size=$(stat -c %s "$f")
((size < 200000)) || { echo "make-fixture: $f is $size bytes, over 200 KB"; exit 1; }
mkdir -p "$(dirname "$out")"
cp "$f" "$out"
echo "make-fixture: $out ($size bytes)"
