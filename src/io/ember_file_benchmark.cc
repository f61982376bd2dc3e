// Micro-benchmarks of .ember: loading and writing a HIGGS-shaped frame
// (1M rows: a float64 label and 28 float32 features), uncompressed and zstd.
// Reports rows and bytes per second. Files go to $TMPDIR (default /tmp).
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "core/random.h"
#include "io/ember_file.h"

namespace ember {
namespace {

constexpr size_t kRows = 1'000'000;
constexpr int kFeatures = 28;

/// Features rounded to 6 significant digits, as a CSV would carry them.
DataFrame HiggsShaped() {
  std::vector<std::string> names = {"label"};
  std::vector<ColumnPtr> columns;
  Rng rng(7, 0);
  std::vector<double> label(kRows);
  for (double& v : label) v = static_cast<double>(rng.Next() & 1);
  columns.push_back(MakeColumn(label));
  for (int f = 0; f < kFeatures; ++f) {
    std::vector<float> v(kRows);
    for (float& x : v) {
      const double u = static_cast<double>(rng.Next() >> 11) * 0x1.0p-53;
      x = std::stof(fmt::format("{:.6g}", std::exp(2.0 * u) - 1.0));
    }
    names.push_back(fmt::format("f{}", f));
    columns.push_back(MakeColumn(v));
  }
  return DataFrame::Make(names, std::move(columns));
}

const DataFrame& Frame() {
  static const DataFrame frame = HiggsShaped();
  return frame;
}

std::string PathFor(Compression c) {
  const char* tmp = std::getenv("TMPDIR");
  return fmt::format("{}/ember-bench-{}-{}.ember", tmp ? tmp : "/tmp", ::getpid(),
                     c == Compression::kZstd ? "zstd" : "none");
}

const std::string& FileFor(Compression c) {
  static std::string paths[2];
  std::string& p = paths[static_cast<int>(c)];
  if (p.empty()) {
    p = PathFor(c);
    WriteEmber(Frame(), p, {.compression = c}, Context::Default());
  }
  return p;
}

void Count(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Frame().ByteSize()));
}

void BM_ReadEmber(benchmark::State& state) {
  const auto compression = static_cast<Compression>(state.range(0));
  const bool verify = state.range(1) != 0;
  const std::string& path = FileFor(compression);
  const Context ctx = Context::Default();
  for (auto _ : state) {
    DataFrame f = ReadEmber(path, {.verify_checksums = verify}, ctx);
    benchmark::DoNotOptimize(f.column(28)->values<float>()[kRows - 1]);
  }
  Count(state);
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
}
BENCHMARK(BM_ReadEmber)
    ->ArgNames({"zstd", "verify"})
    ->Args({0, 1})
    ->Args({0, 0})
    ->Args({1, 1})
    ->Args({1, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_WriteEmber(benchmark::State& state) {
  const auto compression = static_cast<Compression>(state.range(0));
  const std::string path = PathFor(compression) + ".w";
  const Context ctx = Context::Default();
  for (auto _ : state) WriteEmber(Frame(), path, {.compression = compression}, ctx);
  Count(state);
  std::filesystem::remove(path);
}
BENCHMARK(BM_WriteEmber)->ArgName("zstd")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

/// Removes the files FileFor wrote.
struct Cleanup {
  ~Cleanup() {
    for (Compression c : {Compression::kNone, Compression::kZstd}) std::filesystem::remove(PathFor(c));
  }
} cleanup;

}  // namespace
}  // namespace ember
