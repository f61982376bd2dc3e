// Micro-benchmarks of LogisticRegression: one objective evaluation (the
// per-iteration cost), the read-bandwidth bound it is compared with (one
// parallel pass summing the same float32 feature matrix) and a whole fit, on
// 1M x 28 synthetic rows. Compare BM_LogisticObjective/N with
// BM_ReadFeatureMatrix/N: the issue asks for a ratio of at most 3.
#include <benchmark/benchmark.h>

#include <cmath>

#include "core/parallel_for.h"
#include "core/random.h"
#include "ml/linear/design.h"
#include "ml/linear/logistic_objective.h"
#include "ml/linear/logistic_regression.h"

namespace ember {
namespace {

constexpr size_t kRows = 1'000'000;
constexpr int32_t kDim = 28;

const DataFrame& Data() {
  static const DataFrame frame = [] {
    std::vector<float> x(kRows * kDim);
    std::vector<double> y(kRows);
    Rng rng(7, 0);
    for (size_t i = 0; i < kRows; ++i) {
      double z = -0.3;
      for (int j = 0; j < kDim; ++j) {
        const double v = rng.Normal();
        x[i * kDim + j] = static_cast<float>(v);
        z += (j % 5 == 0 ? 0.4 : -0.05) * v + 0.1 * std::abs(v);
      }
      y[i] = rng.Uniform() < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
    }
    return DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(kRows, kDim, x), MakeColumn(y)});
  }();
  return frame;
}

void BM_LogisticObjective(benchmark::State& state) {
  const Context ctx = Context::Default(static_cast<int>(state.range(0)));
  const Design design = MakeDesign(Data(), "features", "label", "", "bench", ctx);
  const FeatureStats stats = ComputeFeatureStats(design, ctx);
  const LogisticObjective objective(design, stats, {}, ctx);
  std::vector<double> theta(objective.num_params(), 0.01), grad(objective.num_params());
  for (auto _ : state) benchmark::DoNotOptimize(objective(theta, grad));
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetBytesProcessed(state.iterations() * kRows * kDim * sizeof(float));
}
BENCHMARK(BM_LogisticObjective)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

// The floor of one objective evaluation: read every feature once, with the
// same row blocks and threads, doing as little as possible with the values
// (32 independent float lanes, so the adds never limit the pass).
void BM_ReadFeatureMatrix(benchmark::State& state) {
  const Context ctx = Context::Default(static_cast<int>(state.range(0)));
  const Column& features = *Data().column("features");
  const float* x = features.DenseRow(0).data();
  for (auto _ : state) {
    const double sum = ParallelReduce(
        ctx, kRows, kDefaultBlockRows, 0.0,
        [&](const BlockRange& r) {
          float lanes[32] = {};
          const float* p = x + r.begin * kDim;
          const size_t n = (r.end - r.begin) * kDim;
          size_t i = 0;
          for (; i + 32 <= n; i += 32) {
#pragma omp simd
            for (size_t l = 0; l < 32; ++l) lanes[l] += p[i + l];
          }
          double s = 0;
          for (; i < n; ++i) s += p[i];
          for (float v : lanes) s += v;
          return s;
        },
        [](double a, double b) { return a + b; });
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetBytesProcessed(state.iterations() * kRows * kDim * sizeof(float));
}
BENCHMARK(BM_ReadFeatureMatrix)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_LogisticFit(benchmark::State& state) {
  const Context ctx = Context::Default(static_cast<int>(state.range(0)));
  LogisticRegression lr(ParamMap(LogisticRegression::Params()), "bench");
  for (auto _ : state) benchmark::DoNotOptimize(lr.Fit(Data(), ctx));
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_LogisticFit)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ember
