#!/bin/sh
# Compiles every src/main/bpf/*.bpf.c into OUT/*.bpf.o (CO-RE, BTF kept for libbpf). Run by Maven.
set -eu
src=$1 out=$2
command -v clang >/dev/null || { echo "hearth-bpf: clang is missing: run ./scripts/test.sh (installs it) or apt-get install clang llvm libbpf-dev bpftool; -Dhearth.skipBpf builds the server only" >&2; exit 1; }
[ -f /usr/include/bpf/bpf_helpers.h ] || { echo "hearth-bpf: libbpf headers missing: apt-get install libbpf-dev" >&2; exit 1; }
mkdir -p "$out"
for f in "$src"/*.bpf.c; do
  o="$out/$(basename "$f" .c).o"
  clang -g -O2 -Wall -target bpf -D__TARGET_ARCH_x86 -I"$src" -c "$f" -o "$o"
  llvm-strip -g "$o" 2>/dev/null || true   # drop DWARF, keep .BTF and .BTF.ext
done
