# ember's front door. `make demo` and `make test` work on a fresh Debian 12
# machine: each installs what it needs, builds, then runs.

JOBS ?= 2
PRESET ?= release
BUILD_DIR := build/$(PRESET)
FUZZ_SECONDS ?= 30

.PHONY: all deps build check-build test unit fuzz demo bench format clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build $(BUILD_DIR) -j$(JOBS)

# Every test, from one build (preset "check": clang with AddressSanitizer and
# UBSan): the GoogleTest suites, then each fuzz target for FUZZ_SECONDS.
test: check-build
	@LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp ctest --test-dir build/check -j$(JOBS) --output-on-failure
	@LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp /usr/bin/python3 bench/paper/run.py --scale tiny --build-dir build/check --out-dir build/check/bench-paper --data-dir build/check/bench-paper/data
	@bash scripts/run-fuzzers.sh build/check/fuzzers $(FUZZ_SECONDS)

check-build: deps
	@cmake --preset check >/dev/null
	@cmake --build build/check -j$(JOBS)

# The GoogleTest suites on the optimised build.
unit: build
	@ctest --test-dir $(BUILD_DIR) -j$(JOBS) --output-on-failure

fuzz: check-build
	@bash scripts/run-fuzzers.sh build/check/fuzzers $(FUZZ_SECONDS)

demo: build
	@bash examples/demo.sh $(BUILD_DIR)/src/cli/ember

bench: build
	@bash bench/run.sh $(BUILD_DIR)

# The paper benchmark suite (bench/README.md): ember beside scikit-learn, XGBoost and
# Dask + XGBoost on the same data; SCALE=small (a minute or two), medium (1M and 10M
# rows, tens of minutes) or large (adds 100M rows: hours). Results: bench/results/SCALE/.
SCALE ?= small
.PHONY: bench-paper
bench-paper: build
	@/usr/bin/python3 bench/paper/run.py --scale $(SCALE) --build-dir $(BUILD_DIR)

format:
	@find src -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf build
