#!/usr/bin/env bash
# Stages the root filesystem of a Hearth OCI image, which Jib then packs onto an empty (`scratch`)
# base: no base image has to be pulled, so the images build where no container registry answers.
#   stage-rootfs.sh OUT MODULES [LIBRARY...]
# OUT/opt/java is a jlink runtime of the JDK modules MODULES (comma-separated) of $JAVA_HOME; the
# shared libraries it and each LIBRARY (e.g. libbpf.so.1 for the agent) need are copied from this
# machine (Debian) at the paths the dynamic loader looks in, with the loader itself.
set -euo pipefail
out=$1 modules=$2
shift 2
java_home=${JAVA_HOME:?JAVA_HOME must name a JDK 25}
rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp" "$out/etc"
chmod 1777 "$out/tmp"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --output "$out/opt/java"
# A user and group for the server (uid 65532, as distroless images use); the agent runs as root.
printf 'root:x:0:0:root:/root:/sbin/nologin\nhearth:x:65532:65532:hearth:/tmp:/sbin/nologin\n' >"$out/etc/passwd"
printf 'root:x:0:\nhearth:x:65532:\n' >"$out/etc/group"
printf 'hosts: files dns\n' >"$out/etc/nsswitch.conf"

# The loader cache is read once: piping `ldconfig -p` into an awk that stops at the first match
# kills ldconfig with SIGPIPE, which pipefail turns into a failed build (exit 141).
cache=$(ldconfig -p)
lib_path() { awk -v n="$1" '$1 == n && !found { print $NF; found = 1 }' <<<"$cache"; }
libs=()
for name in "$@"; do
  path=$(lib_path "$name")
  [ -n "$path" ] || { echo "stage-rootfs: $name is not installed on this machine" >&2; exit 1; }
  libs+=("$path")
done
# Name resolution through /etc/hosts and DNS loads these at run time (no ldd shows them).
for name in libnss_dns.so.2 libnss_files.so.2 libresolv.so.2; do
  path=$(lib_path "$name")
  [ -n "$path" ] && libs+=("$path")
done
copy() {
  local src=$1
  [ -e "$out$src" ] && return
  mkdir -p "$out$(dirname "$src")"
  cp -L "$src" "$out$src"
}
while IFS= read -r f; do
  libs+=("$f")
done < <(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \))
for f in "${libs[@]}"; do
  case "$f" in "$out"/*) ;; *) copy "$f" ;; esac
  { ldd "$f" 2>/dev/null || true; } | awk '/=> \// { print $3 } /^[[:space:]]*\/lib/ { print $1 }' | while IFS= read -r dep; do
    case "$dep" in "$out"/*) ;; *) copy "$dep" ;; esac
  done
done
echo "stage-rootfs: $(du -sh "$out" | cut -f1) in $out" >&2
