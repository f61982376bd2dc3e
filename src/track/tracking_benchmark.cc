// Tracking overhead: what one run costs the store, and what listing a big
// store costs. Targets (issue 6): a run with 100 params and 10,000 metric
// points under 100 ms in total; `ember runs list` over 10,000 runs under
// 0.5 s (bench/tracking_bench.sh times the command itself).
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "track/tracking_store.h"

namespace ember::track {
namespace {

std::string BenchDir(const char* name) {
  if (const char* env = std::getenv("EMBER_BENCH_STORE"); env != nullptr && *env != '\0') {
    return std::string(env) + "/" + name;
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "ember-track-bench-XXXXXX").string();
  return std::string(::mkdtemp(tmpl.data())) + "/" + name;
}

std::vector<std::pair<std::string, std::string>> Params(int n) {
  std::vector<std::pair<std::string, std::string>> params;
  for (int i = 0; i < n; ++i) params.emplace_back("stage" + std::to_string(i % 7) + ".param" + std::to_string(i),
                                                  std::to_string(i * 0.37));
  return params;
}

// One whole run as the runner logs it: create, params, per-iteration training
// loss in batches of `batch` points, end.
void BM_RunWith100Params10kMetrics(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  TrackingStore store = TrackingStore::Open(BenchDir("log"));
  const auto params = Params(100);
  std::vector<MetricPoint> points;
  for (int i = 0; i < 10000; ++i) points.push_back({"train_loss", 1.0 / (1 + i), i, 0});
  for (auto _ : state) {
    const std::string id = store.CreateRun("bench", "run").run_id;
    store.LogParams(id, params);
    for (size_t i = 0; i < points.size(); i += batch) {
      store.LogMetrics(id, std::vector<MetricPoint>(points.begin() + i,
                                                    points.begin() + std::min(points.size(), i + batch)));
    }
    store.EndRun(id, RunStatus::kFinished);
  }
  state.SetItemsProcessed(state.iterations() * 10100);
}
BENCHMARK(BM_RunWith100Params10kMetrics)->Arg(10000)->Arg(1000)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime();

// Reading what `ember runs list` shows for 10,000 runs (10 params, 4 metrics
// each): the run rows, then params and latest metrics per run.
void BM_ListRuns10k(benchmark::State& state) {
  const std::string root = BenchDir("list");
  TrackingStore store = TrackingStore::Open(root);
  if (store.ListRuns({.limit = 1}).empty()) {
    for (int r = 0; r < 10000; ++r) {
      const std::string id = store.CreateRun(r % 2 ? "churn" : "credit", "run" + std::to_string(r)).run_id;
      std::vector<std::pair<std::string, std::string>> params = Params(10);
      params[0].second = std::to_string(r % 13);
      store.LogParams(id, params);
      store.LogMetrics(id, {{"test_auc", 0.5 + (r % 500) / 1000.0, 0, 0}, {"train_auc", 0.9, 0, 0},
                            {"test_logloss", 0.3, 0, 0}, {"train_loss", 0.2, 99, 0}});
      store.EndRun(id, RunStatus::kFinished);
    }
  }
  for (auto _ : state) {
    const auto runs = store.ListRuns({});
    std::vector<std::string> ids;
    for (const RunInfo& r : runs) ids.push_back(r.run_id);
    size_t cells = 0;
    for (const auto& v : store.ValuesOf(ids)) cells += v.params.size() + v.metrics.size();
    benchmark::DoNotOptimize(cells);
    state.counters["runs"] = static_cast<double>(runs.size());
  }
}
BENCHMARK(BM_ListRuns10k)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace ember::track
