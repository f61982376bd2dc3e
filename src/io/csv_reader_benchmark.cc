// Micro-benchmarks of ReadCsv and WriteCsv on a file named by
// EMBER_BENCH_CSV (skipped when unset), e.g. a 1M x 29 numeric file; report
// bytes per second of CSV text.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <benchmark/benchmark.h>

#include "io/csv_reader.h"
#include "io/csv_writer.h"

namespace ember {
namespace {

void BM_ReadCsv(benchmark::State& state) {
  const char* path = std::getenv("EMBER_BENCH_CSV");
  if (path == nullptr) {
    state.SkipWithError("set EMBER_BENCH_CSV to a CSV file to benchmark");
    return;
  }
  struct stat st {};
  ::stat(path, &st);
  const Context ctx = Context::Default(static_cast<int>(state.range(0)));
  size_t rows = 0;
  for (auto _ : state) {
    const DataFrame df = ReadCsv(path, CsvReadOptions{}, ctx);
    rows = df.num_rows();
    benchmark::DoNotOptimize(df.num_columns());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * st.st_size);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_ReadCsv)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_WriteCsv(benchmark::State& state) {
  const char* path = std::getenv("EMBER_BENCH_CSV");
  if (path == nullptr) {
    state.SkipWithError("set EMBER_BENCH_CSV to a CSV file to benchmark");
    return;
  }
  const Context ctx = Context::Default(static_cast<int>(state.range(0)));
  const DataFrame df = ReadCsv(path, CsvReadOptions{}, ctx);
  const std::string out = std::string(path) + ".bench_out.csv";
  for (auto _ : state) WriteCsv(df, out, CsvWriteOptions{}, ctx);
  struct stat st {};
  ::stat(out.c_str(), &st);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * st.st_size);
  std::remove(out.c_str());
}
BENCHMARK(BM_WriteCsv)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace ember
