// GBTClassifier training throughput on a generated 1M x 28 matrix (the
// issue's target shape: 20 trees, depth 5, 32 bins); reports rows/s, where
// one row is one training row per fit (binning included).
//
// EMBER_BENCH_ROWS overrides the row count.
#include <cmath>
#include <cstdlib>

#include <benchmark/benchmark.h>

#include "core/random.h"
#include "ml/tree/tree_estimator.h"

namespace ember {
namespace {

DataFrame Generate(size_t n, int d) {
  std::vector<float> x(n * static_cast<size_t>(d));
  std::vector<double> y(n);
  Rng rng(2024, 0);
  for (size_t i = 0; i < n; ++i) {
    float* r = x.data() + i * static_cast<size_t>(d);
    for (int f = 0; f < d; ++f) r[f] = static_cast<float>(rng.Normal());
    const double s = r[0] * r[1] + std::sin(3 * r[2]) + std::abs(r[3]) - 0.8 + 0.5 * r[4] * (r[5] > 0) + 0.5 * rng.Normal();
    y[i] = s > 0 ? 1.0 : 0.0;
  }
  return DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(n, d, x), MakeColumn(y)});
}

size_t Rows() {
  const char* env = std::getenv("EMBER_BENCH_ROWS");
  return env ? static_cast<size_t>(std::atof(env)) : 1000000;
}

void BM_GBTClassifierFit(benchmark::State& state) {
  static const DataFrame data = Generate(Rows(), 28);
  const Context ctx = Context::Default(static_cast<int>(state.range(0)));
  auto est = TreeEstimator::Make(TreeAlgorithm::kGBTClassifier, {{"maxIter", 20}, {"maxDepth", 5}, {"maxBins", 32}});
  for (auto _ : state) benchmark::DoNotOptimize(est->Fit(data, ctx));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(data.num_rows()));
}
BENCHMARK(BM_GBTClassifierFit)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GBTClassifierPredict(benchmark::State& state) {
  static const DataFrame data = Generate(Rows(), 28);
  const Context ctx = Context::Default(2);
  static const ModelPtr model = TreeEstimator::Make(TreeAlgorithm::kGBTClassifier, {})->Fit(data, ctx);
  for (auto _ : state) benchmark::DoNotOptimize(model->Transform(data, ctx));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(data.num_rows()));
}
BENCHMARK(BM_GBTClassifierPredict)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace ember
