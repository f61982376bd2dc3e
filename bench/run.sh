#!/usr/bin/env bash
# `make bench`: every peer comparison, side by side on this machine.
# usage: bench/run.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: bench/run.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
/usr/bin/python3 "$here/ingest.py" "$build/src/cli/ember"
/usr/bin/python3 "$here/models.py" "$build" --rows 1e6,1e7
/usr/bin/python3 "$here/features.py" "$build"
/usr/bin/python3 "$here/trees.py" "$build"
