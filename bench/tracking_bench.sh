#!/bin/sh
# Tracking overhead (issue 6 targets): a run logging 100 params and 10,000
# metric points (< 100 ms), and `ember runs list` over 10,000 runs (< 0.5 s).
# Usage: bench/tracking_bench.sh [BUILD_DIR]   (default build/release)
# Needs the targets ember_track_benchmark and ember in BUILD_DIR.
set -eu
build=${1:-build/release}
store=$(mktemp -d /tmp/ember-tracking-bench-XXXXXX)
trap 'rm -rf "$store"' EXIT
EMBER_BENCH_STORE=$store "$build/src/track/ember_track_benchmark" --benchmark_min_time=1
# The list benchmark left its 10,000-run store behind: time the command.
runs=$("$build/src/cli/ember" runs list --store "$store/list" | tail -1)
echo "store: $runs"
for i in 1 2 3; do
  /usr/bin/time -f "ember runs list (10,000 runs, table to /dev/null): %e s, max RSS %M KB" \
    "$build/src/cli/ember" runs list --store "$store/list" > /dev/null
done
