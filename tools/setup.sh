#!/usr/bin/env bash
# One-command setup: installs the Debian 12 packages fitcheck needs (only the missing ones, non-interactively),
# then configures and builds. Idempotent: when everything is there it only runs an up-to-date build (seconds).
#
#   tools/setup.sh                 Release build in build/
#   tools/setup.sh --sanitize      ASan+UBSan build (RelWithDebInfo) in build-asan/
#   tools/setup.sh --no-install    skip the package step
#   tools/setup.sh --benchmarks    also build the google-benchmark programs
# Environment: BUILD_DIR overrides the build folder; JOBS the parallel jobs (default: nproc).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config
  libeigen3-dev libpcl-dev libopen3d-dev libcgal-dev libvtk9-dev
  libboost-test-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libbenchmark-dev
  libpng-dev libsqlite3-dev python3 python3-jsonschema
)

install=1 sanitize=0 bench=0
for arg in "$@"; do
  case "$arg" in
    --no-install) install=0 ;;
    --sanitize) sanitize=1 ;;
    --benchmarks) bench=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

if [ "$install" = 1 ]; then
  missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
      SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

jobs="${JOBS:-$(nproc)}"
if [ "$sanitize" = 1 ]; then
  dir="${BUILD_DIR:-build-asan}"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFITCHECK_SANITIZE=ON -DFITCHECK_WERROR=ON >/dev/null
else
  dir="${BUILD_DIR:-build}"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DFITCHECK_WERROR=ON \
    -DFITCHECK_BUILD_BENCHMARKS=$([ "$bench" = 1 ] && echo ON || echo OFF) >/dev/null
fi
cmake --build "$dir" -j "$jobs" 2>&1 | grep -Ev '^\[ *[0-9]+%\]|^-- |WARNING \*\* io features' || true
test -x "$dir/fitcheck" || { echo "setup: build failed (see above)" >&2; exit 1; }
echo "setup: built $dir/fitcheck" >&2
