#!/usr/bin/env bash
# Checks deploy/ offline: the Kubernetes manifests against the Kubernetes schemas (PyPI's
# kubernetes-validate bundles them), the systemd units with `systemd-analyze verify` in a staged
# root that holds what the units start, and the image tars the Maven build made (profile images)
# with `skopeo inspect`. Run by scripts/test.sh after the Maven build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HEARTH_ROOT"
k8s_version=${HEARTH_K8S_VERSION:-1.33.0}

# Kubernetes: every file the kustomization lists, strictly (unknown fields fail).
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
venv=${XDG_CACHE_HOME:-$HOME/.cache}/hearth/venv-deploy
if [ ! -x "$venv/bin/kubernetes-validate" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'kubernetes-validate==1.37.0'
fi
files=()
for f in $(sed -n '/^resources:/,/^[a-z]/s/^  - //p' deploy/kubernetes/kustomization.yaml); do
  files+=("deploy/kubernetes/$f")
done
listed=$(printf '%s\n' "${files[@]}" | sort)
present=$(ls deploy/kubernetes/*.yaml | grep -v kustomization.yaml | sort)
[ "$listed" = "$present" ] || { echo "deploy: kustomization.yaml resources differ from the files in deploy/kubernetes" >&2; exit 1; }
"$venv/bin/kubernetes-validate" --strict --quiet -k "$k8s_version" "${files[@]}"
echo "deploy: ${#files[@]} Kubernetes manifests valid against $k8s_version" >&2

# systemd: verify in a root with the system's units and the files the units name.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/lib/systemd" "$root/etc/systemd/system" "$root/opt/hearth/jdk/bin" "$root/etc/hearth"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
printf '#!/bin/sh\n' >"$root/opt/hearth/jdk/bin/java"
chmod 755 "$root/opt/hearth/jdk/bin/java"
cp deploy/systemd/*.service "$root/etc/systemd/system/"
units=()
for u in deploy/systemd/*.service; do units+=("$root/etc/systemd/system/$(basename "$u")"); done
out=$(systemd-analyze verify --man=no --root="$root" "${units[@]}" 2>&1) || { echo "$out" >&2; exit 1; }
[ -z "$out" ] || { echo "deploy: systemd-analyze verify warned:" >&2; echo "$out" >&2; exit 1; }
echo "deploy: systemd units verified: ${units[*]##*/}" >&2

# Images: each tar is a docker-archive skopeo reads, with the entrypoint Hearth set.
if [ "${HEARTH_SKIP_IMAGES:-0}" != 1 ]; then
  apt_install skopeo
  for tar in server/target/hearth-server-image.tar agent-lite/target/hearth-agent-image.tar; do
    [ -f "$tar" ] || { [ "${HEARTH_SKIP_BPF:-0}" = 1 ] && [[ $tar == agent-lite/* ]] && continue; echo "deploy: $tar was not built (profile images)" >&2; exit 1; }
    skopeo inspect --config "docker-archive:$tar" | grep -q '"/opt/java/bin/java"' \
      || { echo "deploy: $tar has no /opt/java/bin/java entrypoint" >&2; exit 1; }
    echo "deploy: $tar is a valid image ($(du -h "$tar" | cut -f1))" >&2
  done
fi
