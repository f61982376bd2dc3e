// Exact AUC on 10M scores: the sort-and-sweep kernel on double and float
// scores, and the whole BinaryClassificationEvaluator on a DataFrame.
// Arguments: rows, threads. Reports rows per second.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "ml/eval/binary_curve.h"
#include "ml/eval/binary_evaluator.h"

namespace ember {
namespace {

struct Data {
  std::vector<double> scores;  // full-precision doubles: 64-bit sort keys
  std::vector<float> float_scores;
  std::vector<uint8_t> labels;
  std::vector<int32_t> int_labels;
};

const Data& GetData(size_t n) {
  static Data data;
  if (data.scores.size() != n) {
    std::mt19937_64 rng(42);
    std::normal_distribution<double> noise(0, 1);
    std::uniform_real_distribution<double> u(0, 1);
    data = Data();
    for (size_t i = 0; i < n; ++i) {
      const bool positive = u(rng) < 0.3;
      const double s = noise(rng) + (positive ? 1.0 : 0.0);
      data.scores.push_back(s);
      data.float_scores.push_back(static_cast<float>(s));
      data.labels.push_back(positive ? 1 : 0);
      data.int_labels.push_back(positive ? 1 : 0);
    }
  }
  return data;
}

void BM_AreasDoubleScores(benchmark::State& state) {
  const Data& d = GetData(static_cast<size_t>(state.range(0)));
  const Context ctx = Context::Default(static_cast<int>(state.range(1)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(ComputeBinaryAreas(std::span<const double>(d.scores), d.labels, {}, ctx));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_AreasFloatScores(benchmark::State& state) {
  const Data& d = GetData(static_cast<size_t>(state.range(0)));
  const Context ctx = Context::Default(static_cast<int>(state.range(1)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(ComputeBinaryAreas(std::span<const float>(d.float_scores), d.labels, {}, ctx));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_EvaluatorFloat64Column(benchmark::State& state) {
  const Data& d = GetData(static_cast<size_t>(state.range(0)));
  const DataFrame df = DataFrame::Make({"rawPrediction", "label"}, {MakeColumn(d.scores), MakeColumn(d.int_labels)});
  const Context ctx = Context::Default(static_cast<int>(state.range(1)));
  const auto evaluator = BinaryClassificationEvaluator::Make();
  for (auto _ : state) benchmark::DoNotOptimize(evaluator.Evaluate(df, ctx));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

constexpr int64_t kRows = 10'000'000;
BENCHMARK(BM_AreasDoubleScores)->Args({kRows, 1})->Args({kRows, 2})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AreasFloatScores)->Args({kRows, 1})->Args({kRows, 2})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EvaluatorFloat64Column)->Args({kRows, 1})->Args({kRows, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace ember
