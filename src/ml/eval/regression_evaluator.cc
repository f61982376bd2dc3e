#include "ml/eval/regression_evaluator.h"

#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/parallel_for.h"
#include "ml/eval/eval_columns.h"

namespace ember {

const ParamTable& RegressionEvaluator::Params() {
  static const ParamTable table = [] {
    ParamTable t("RegressionEvaluator");
    t.String("predictionCol", "prediction", "predicted value column");
    t.String("labelCol", "label", "true value column");
    t.String("weightCol", std::nullopt, "optional column of non-negative row weights");
    t.String("metricName", "rmse", "rmse, mse, mae, r2 or var (variance of predictions around the label mean)",
             {"rmse", "mse", "mae", "r2", "var"});
    t.Bool("throughOrigin", false, "r2 for a model without intercept: 1 - SSerr / sum w y^2");
    return t;
  }();
  return table;
}

RegressionEvaluator RegressionEvaluator::Make(const std::map<std::string, ParamValue>& values) {
  return RegressionEvaluator(MakeEvaluatorParams(Params(), values));
}

RegressionEvaluator::RegressionEvaluator(ParamMap params) : Evaluator(std::move(params)) {
  EMBER_CHECK(&this->params().table() == &Params(), "RegressionEvaluator built over the params of {}",
              this->params().table().stage_name());
}

bool RegressionEvaluator::IsLargerBetter() const {
  const std::string& m = params().GetString("metricName");
  return m == "r2" || m == "var";
}

RegressionSums RegressionEvaluator::Sums(const DataFrame& data, const Context& ctx) const {
  RequireRows(params(), data);
  const std::vector<double> y = ReadValues(params(), data, "labelCol", ctx, Infinities::kReject);
  const std::vector<double> f = ReadValues(params(), data, "predictionCol", ctx, Infinities::kReject);
  const std::vector<double> w = ReadWeights(params(), data, ctx);
  const size_t n = y.size();
  auto weight = [&](size_t i) { return w.empty() ? 1.0 : w[i]; };

  // Pass 1: W and sum w y, for the label mean.
  using Pair = std::pair<double, double>;
  const Pair first = ParallelReduce(
      ctx, n, kDefaultBlockRows, Pair{0.0, 0.0},
      [&](const BlockRange& r) {
        Pair s{0.0, 0.0};
        for (size_t i = r.begin; i < r.end; ++i) {
          s.first += weight(i);
          s.second += weight(i) * y[i];
        }
        return s;
      },
      [](Pair a, Pair b) {
        return Pair{a.first + b.first, a.second + b.second};
      });

  // Pass 2: the centred sums (two passes avoid the cancellation of a
  // one-pass variance).
  RegressionSums init;
  init.weight = first.first;
  init.label_mean = first.second / first.first;
  const double mean = init.label_mean;
  return ParallelReduce(
      ctx, n, kDefaultBlockRows, init,
      [&](const BlockRange& r) {
        RegressionSums s;
        for (size_t i = r.begin; i < r.end; ++i) {
          const double wi = weight(i);
          const double err = y[i] - f[i];
          s.squared_error += wi * err * err;
          s.absolute_error += wi * std::abs(err);
          s.total_squares += wi * (y[i] - mean) * (y[i] - mean);
          s.explained += wi * (f[i] - mean) * (f[i] - mean);
          s.label_squares += wi * y[i] * y[i];
        }
        return s;
      },
      [](RegressionSums a, const RegressionSums& b) {
        a.squared_error += b.squared_error;
        a.absolute_error += b.absolute_error;
        a.total_squares += b.total_squares;
        a.explained += b.explained;
        a.label_squares += b.label_squares;
        return a;
      });
}

double RegressionEvaluator::Evaluate(const DataFrame& data, const Context& ctx) const {
  const RegressionSums s = Sums(data, ctx);
  const std::string& metric = params().GetString("metricName");
  if (metric == "mse") return s.squared_error / s.weight;
  if (metric == "rmse") return std::sqrt(s.squared_error / s.weight);
  if (metric == "mae") return s.absolute_error / s.weight;
  if (metric == "var") return s.explained / s.weight;
  if (metric == "r2") {
    const double denominator = params().GetBool("throughOrigin") ? s.label_squares : s.total_squares;
    return 1.0 - s.squared_error / denominator;
  }
  EMBER_CHECK(false, "metricName '{}' passed validation but has no implementation", metric);
  return 0;
}

}  // namespace ember
