#!/usr/bin/env bash
# Runs every Hearth test: builds all modules, runs unit and integration tests, format and static checks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
command -v go >/dev/null || apt_install golang-go   # the query tests check the pprof export with `go tool pprof`
./mvnw -B -ntp verify "$@"
