#!/usr/bin/env bash
# Runs every libFuzzer target in DIR for SECONDS each, starting from the seed
# corpus in tests/fuzz/<target>/ (copied, so the repo is never modified).
# Fails on the first crash, leak or sanitizer report.
set -euo pipefail
dir=${1:?usage: run-fuzzers.sh DIR SECONDS}
seconds=${2:-30}
dir=$(cd "$dir" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
shopt -s nullglob
targets=("$dir"/*_fuzz)
if [ ${#targets[@]} -eq 0 ]; then
  echo "run-fuzzers: no fuzz targets in $dir" >&2
  exit 1
fi
export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in "${targets[@]}"; do
  name=$(basename "$target")
  corpus="$work/$name"
  mkdir -p "$corpus"
  [ -d "$root/tests/fuzz/$name" ] && cp "$root/tests/fuzz/$name"/* "$corpus"/ 2>/dev/null || true
  echo "fuzz: $name for ${seconds}s"
  if ! (cd "$work" && "$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
          -print_final_stats=0 "$corpus" >"$work/$name.log" 2>&1); then
    tail -n 60 "$work/$name.log" >&2
    echo "fuzz: $name FAILED" >&2
    exit 1
  fi
  grep -E "^#[0-9]+.*(DONE|pulse)" "$work/$name.log" | tail -n 1 || true
done
