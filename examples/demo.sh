#!/usr/bin/env bash
# `make demo`: an end-to-end tour of ember on real and synthetic data.
# usage: examples/demo.sh EMBER_BINARY
set -euo pipefail
ember=${1:?usage: examples/demo.sh EMBER_BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/demo-out"
mkdir -p "$out"
step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "ember version" "$ember" --version
step "Schema of a real dataset (credit scoring, 4,454 rows; types are inferred)" \
  "$ember" schema "$root/tests/data/credit_data.csv"
step "Summary statistics (nulls are counted per column)" \
  "$ember" describe "$root/tests/data/credit_data.csv"
step "Convert it to ember's native columnar file" \
  "$ember" convert "$root/tests/data/credit_data.csv" "$out/credit_data.ember"
step "...and back to CSV" "$ember" convert "$out/credit_data.ember" "$out/credit_data.csv"
if cmp -s "$root/tests/data/credit_data.csv" "$out/credit_data.csv"; then
  echo "round trip CSV -> .ember -> CSV is byte-identical"
else
  echo "round trip changed the file" >&2
  exit 1
fi
step "Generate 1M rows of HIGGS-like data straight to .ember" \
  "$ember" datagen --rows 1e6 --out "$out/higgs.ember"
step "Load it (memory-mapped)" "$ember" load "$out/higgs.ember"
step "First rows" "$ember" head -n 5 "$out/higgs.ember"
step "Write it as CSV and read it back in parallel" "$ember" convert "$out/higgs.ember" "$out/higgs.csv"
step "Load the CSV" "$ember" load "$out/higgs.csv"
step "Summary of the synthetic data" "$ember" describe "$out/higgs.ember"
printf '\nDemo outputs are in %s\n' "$out"
