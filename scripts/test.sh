#!/usr/bin/env bash
# Runs every Hearth test: builds all modules, runs unit and integration tests, format and static checks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
./mvnw -B -ntp verify "$@"
