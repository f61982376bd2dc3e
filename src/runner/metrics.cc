#include "runner/metrics.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"
#include "ml/eval/binary_evaluator.h"
#include "ml/eval/multiclass_evaluator.h"
#include "ml/eval/regression_evaluator.h"

namespace ember::runner {
namespace {

const std::vector<std::string>& BinaryOnly() {
  static const std::vector<std::string> names = {"areaUnderROC", "areaUnderPR", "averagePrecision"};
  return names;
}
const std::vector<std::string>& Classification() {
  static const std::vector<std::string> names = {"accuracy",       "f1",      "weightedPrecision",
                                                 "weightedRecall", "logLoss", "hammingLoss"};
  return names;
}
const std::vector<std::string>& Regression() {
  static const std::vector<std::string> names = {"rmse", "mse", "mae", "r2", "var"};
  return names;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::string_view TaskName(Task task) {
  switch (task) {
    case Task::kBinary:
      return "binary";
    case Task::kMulticlass:
      return "multiclass";
    case Task::kRegression:
      return "regression";
  }
  return "?";
}

std::vector<std::string> KnownMetricNames() {
  std::vector<std::string> all = BinaryOnly();
  all.insert(all.end(), Classification().begin(), Classification().end());
  all.insert(all.end(), Regression().begin(), Regression().end());
  return all;
}

bool MetricAppliesTo(const std::string& metric, Task task) {
  switch (task) {
    case Task::kBinary:
      return Contains(BinaryOnly(), metric) || Contains(Classification(), metric);
    case Task::kMulticlass:
      return Contains(Classification(), metric);
    case Task::kRegression:
      return Contains(Regression(), metric);
  }
  return false;
}

std::vector<std::string> DefaultMetrics(Task task) {
  switch (task) {
    case Task::kBinary:
      return {"areaUnderROC", "areaUnderPR", "accuracy", "f1", "logLoss"};
    case Task::kMulticlass:
      return {"accuracy", "f1", "weightedPrecision", "weightedRecall", "logLoss"};
    case Task::kRegression:
      return {"rmse", "mae", "r2"};
  }
  return {};
}

std::map<std::string, double> ComputeMetrics(Task task, const std::vector<std::string>& metrics,
                                             const DataFrame& scored, const ScoredColumns& columns,
                                             const Context& ctx) {
  std::map<std::string, double> out;
  std::map<std::string, ParamValue> common = {{"labelCol", columns.label}};
  if (!columns.weight.empty()) common["weightCol"] = columns.weight;
  for (const std::string& metric : metrics) {
    if (!MetricAppliesTo(metric, task)) {
      std::vector<std::string> valid;
      for (const std::string& m : KnownMetricNames()) {
        if (MetricAppliesTo(m, task)) valid.push_back(m);
      }
      throw InvalidArgument(fmt::format("metric '{}' does not apply to a {} task (valid: {})", metric,
                                        TaskName(task), Join(valid)));
    }
    std::map<std::string, ParamValue> params = common;
    params["metricName"] = metric;
    if (Contains(BinaryOnly(), metric)) {
      params["rawPredictionCol"] = scored.schema().Contains(columns.probability) ? columns.probability
                                                                                  : columns.raw_prediction;
      out[metric] = BinaryClassificationEvaluator::Make(params).Evaluate(scored, ctx);
    } else if (Contains(Classification(), metric)) {
      params["predictionCol"] = columns.prediction;
      if (metric == "logLoss") {
        if (!scored.schema().Contains(columns.probability)) continue;  // the model gives no probabilities
        params["probabilityCol"] = columns.probability;
      }
      out[metric] = MulticlassClassificationEvaluator::Make(params).Evaluate(scored, ctx);
    } else {
      params["predictionCol"] = columns.prediction;
      out[metric] = RegressionEvaluator::Make(params).Evaluate(scored, ctx);
    }
  }
  return out;
}

}  // namespace ember::runner
