#!/usr/bin/env bash
# Installs every Debian package that ember's build, tests, demo and benchmarks
# need. Idempotent: packages already present are skipped without touching apt.
# Works as root or through sudo; prints nothing unless something fails.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build make pkg-config
  # C++ libraries ember links against
  libzstd-dev libxxhash-dev libfast-float-dev nlohmann-json3-dev
  libcli11-dev libfmt-dev zlib1g-dev libyaml-cpp-dev libsqlite3-dev libcpp-httplib-dev
  # tests, fuzzers and micro-benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev
  # reference libraries for golden files and peer benchmarks
  python3 python3-numpy python3-pandas python3-sklearn python3-threadpoolctl time
  python3-xgboost python3-dask python3-distributed python3-psutil python3-matplotlib
  # headless browser that checks the HTML run reports
  chromium sqlite3
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { "${as_root[@]}" apt-get update -qq && \
       "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "install-deps: failed to install: ${missing[*]}" >&2
  exit 1
fi
