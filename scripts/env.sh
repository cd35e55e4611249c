# Sourced by Hearth's scripts: the JDK and the checks every command needs.
# JDK 25 lives here on Hearth's build machines; HEARTH_JAVA_HOME overrides it.
HEARTH_JAVA_HOME=${HEARTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ ! -x "$HEARTH_JAVA_HOME/bin/java" ]; then
  echo "hearth: JDK 25 not found at $HEARTH_JAVA_HOME (set HEARTH_JAVA_HOME to a JDK 25)" >&2
  exit 1
fi
export JAVA_HOME=$HEARTH_JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# The server's JVM memory settings, used by run.sh, soak.sh and bench-ingest.sh; deploy/systemd,
# deploy/kubernetes and the image carry the same flags (README, "Server memory").
HEARTH_SERVER_JVM_OPTS=${HEARTH_SERVER_JVM_OPTS:--Xmx1g -Xmn128m -XX:GCTimeRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=30000}
export HEARTH_SERVER_JVM_OPTS
# Rust comes by rustup on Hearth's machines (compat/rust needs a current toolchain; Debian's cargo
# is too old for the Pyroscope Rust SDK): its bin dir is not on a non-login shell's PATH.
if ! command -v cargo >/dev/null 2>&1 && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi
HEARTH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export HEARTH_ROOT

# apt_install PKG...: installs Debian packages that are missing (needs root; runs apt-get update once).
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "hearth: please install: ${missing[*]} (apt-get install ${missing[*]})" >&2
    return 1
  fi
  echo "hearth: installing ${missing[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# bpf_toolchain: what the bpf and agent-lite modules build and test with (clang compiles the BPF
# programs against libbpf's headers; bpftool regenerates vmlinux.h and reads BPF statistics; gcc
# builds the C test workloads; libjemalloc2 for the allocation test's jemalloc case). Skipped for
# server-only builds: HEARTH_SKIP_BPF=1 or -Dhearth.skipBpf.
bpf_toolchain() {
  case " $* " in *" -Dhearth.skipBpf"*) return 0 ;; esac
  [ "${HEARTH_SKIP_BPF:-0}" = 1 ] && return 0
  # python3.11 + its headers: the CPython tests profile Debian's plain python3.11 and check the
  # agent's offsets against its internal headers; openjdk-17: the HotSpot 17 test (JDK 25 is the
  # build JDK).
  apt_install clang llvm libbpf-dev bpftool libelf-dev gcc libc6-dev libjemalloc2 \
    python3.11 python3.11-dev openjdk-17-jdk-headless
}
