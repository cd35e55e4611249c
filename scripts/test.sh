#!/usr/bin/env bash
# Runs every Hearth test: builds all modules, runs unit and integration tests, format and static checks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
bpf_toolchain "$@"
if [ "${HEARTH_SKIP_BPF:-0}" = 1 ]; then
  set -- -Dhearth.skipBpf "$@"
fi
./mvnw -B -ntp verify "$@"
