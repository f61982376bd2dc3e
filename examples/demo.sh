#!/usr/bin/env bash
# `make demo`: an end-to-end tour of ember. The churn example runs as a user
# would run it (one YAML spec, one command), is recorded in a tracking
# store, registered, and its model scores a file; then a quick look at
# ember's data tools.
# usage: examples/demo.sh EMBER_BINARY
set -euo pipefail
ember=${1:?usage: examples/demo.sh EMBER_BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/demo-out"
rm -rf "$out"
mkdir -p "$out"
export EMBER_TRACKING_URI="$out/ember-runs"
step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "ember version" "$ember" --version
step "Check the churn spec against the data's schema (nothing is fitted)" \
  "$ember" run --check "$root/examples/churn/spec.yaml"
step "Run it: ingest, split, fit StringIndexer + OneHotEncoder + Imputer + VectorAssembler + GBT, evaluate, record" \
  "$ember" run "$root/examples/churn/spec.yaml"
step "Again with deeper trees, registered as the challenger: the unchanged feature stages come from the stage cache" \
  "$ember" run "$root/examples/churn/spec.yaml" --set pipeline.4.maxDepth=4 --set register.alias=challenger
step "The runs so far" "$ember" runs list
step "Score customers with the registered champion model, streaming the file in row batches" \
  "$ember" predict --model models:/churn@champion --input "$root/tests/data/wa_churn.csv" \
  --output "$out/churn_scored.csv"
step "First scored rows" "$ember" head -n 3 "$out/churn_scored.csv"
step "Generate 1M rows of HIGGS-like data straight to .ember" \
  "$ember" datagen --rows 1e6 --out "$out/higgs.ember"
step "Load it (memory-mapped)" "$ember" load "$out/higgs.ember"
report=$(ls -t "$out"/ember-runs/artifacts/*/report.html | tail -n 1)
printf '\nThe first run'"'"'s report (open it in a browser): %s\n' "$report"
printf 'Demo outputs are in %s\n' "$out"
