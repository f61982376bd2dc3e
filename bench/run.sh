#!/usr/bin/env bash
# `make bench`: every peer comparison, side by side on this machine.
# usage: bench/run.sh EMBER_BINARY
set -euo pipefail
ember=${1:?usage: bench/run.sh EMBER_BINARY}
here=$(cd "$(dirname "$0")" && pwd)
/usr/bin/python3 "$here/ingest.py" "$ember" "${@:2}"
