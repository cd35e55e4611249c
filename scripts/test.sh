#!/usr/bin/env bash
# Runs every Hearth test: builds all modules, runs unit and integration tests, format and static checks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
# The web UI builds with the machine's Node.js and npm; its browser test drives Debian's Chromium.
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
command -v go >/dev/null || apt_install golang-go   # the query tests check the pprof export with `go tool pprof`
# Server-side symbolisation runs llvm-symbolizer; its tests build C programs with gcc, split them with
# binutils and serve the debug files with Debian's debuginfod.
apt_install llvm gcc libc6-dev binutils debuginfod
bpf_toolchain "$@"
if [ "${HEARTH_SKIP_BPF:-0}" = 1 ]; then
  set -- -Dhearth.skipBpf "$@"
fi
# -Dhearth.images: the server and agent OCI image tars (target/*-image.tar), checked below.
./mvnw -B -ntp verify -Dhearth.images "$@"
# deploy/: Kubernetes manifests against the schemas, systemd units, the image tars.
./scripts/test-deploy.sh
# Real Pyroscope SDKs (pip, go, npm, crates.io, Maven Central) and Alloy's push shape, against the
# built server; HEARTH_COMPAT=off skips.
if [ "${HEARTH_COMPAT:-on}" != off ]; then
  ./compat/run.sh --jar "$(ls server/target/hearth-server-*.jar | grep -v -- '-plain' | head -1)"
fi
# The OpenTelemetry eBPF profiler, built from its Go module (about 1.5 min cold, cached after), and
# Hearth's agent (the jar just built) profile one process: one CPU type, the same labels. Root;
# about 1 min a run. HEARTH_COMPAT_OTEL_EBPF=off skips; so does a build without BPF.
if [ "${HEARTH_COMPAT_OTEL_EBPF:-on}" != off ] && [ "${HEARTH_SKIP_BPF:-0}" != 1 ]; then
  HEARTH_SKIP_BUILD=1 ./compat/otel-ebpf/run.sh \
    --jar "$(ls server/target/hearth-server-*.jar | grep -v -- '-plain' | head -1)"
fi
# The UI's end-to-end test in headless Chromium (screenshots in web-ui/target/e2e/).
# HEARTH_UI_E2E: `server` (default) against the built server jar with real data pushed through
# /ingest, `mock` against the mock query API, `off` to skip.
case "${HEARTH_UI_E2E:-server}" in
  off) ;;
  mock)
    apt_install chromium fonts-dejavu-core
    node web-ui/e2e/run.mjs ;;
  *)
    apt_install chromium fonts-dejavu-core
    node web-ui/e2e/run.mjs --jar "$(ls server/target/hearth-server-*.jar | grep -v -- '-plain' | head -1)" ;;
esac
