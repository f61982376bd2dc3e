// Micro-benchmarks of LogisticRegression: one objective evaluation (the
// per-iteration cost, comparable to the memory-bandwidth bound) and a whole
// fit, on 1M x 28 synthetic rows.
#include <benchmark/benchmark.h>

#include <cmath>

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

void BM_LogisticFit(benchmark::State& state) {
  const Context ctx = Context::Default(static_cast<int>(state.range(0)));
  LogisticRegression lr(ParamMap(LogisticRegression::Params()), "bench");
  for (auto _ : state) benchmark::DoNotOptimize(lr.Fit(Data(), ctx));
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_LogisticFit)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ember
