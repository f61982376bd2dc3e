# ember's front door. `make demo` and `make test` work on a fresh Debian 12
# machine: each installs what it needs, builds, then runs.

JOBS ?= 2
PRESET ?= release
BUILD_DIR := build/$(PRESET)
FUZZ_SECONDS ?= 30

.PHONY: all deps build test unit fuzz demo bench bench-paper format clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build $(BUILD_DIR) -j$(JOBS)

# Every test: the GoogleTest suites, then each fuzz target for FUZZ_SECONDS.
test: unit fuzz

unit: build
	@ctest --test-dir $(BUILD_DIR) -j$(JOBS) --output-on-failure

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build build/fuzz -j$(JOBS) --target ember_fuzzers
	@bash scripts/run-fuzzers.sh build/fuzz/fuzzers $(FUZZ_SECONDS)

demo: build
	@bash examples/demo.sh $(BUILD_DIR)/src/cli/ember

bench: build
	@bash bench/run.sh $(BUILD_DIR)/src/cli/ember

format:
	@find src -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf build
