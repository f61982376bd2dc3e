// The metrics a run reports, by task, computed with the ml/eval evaluators
// on a scored frame (Spark's column names: rawPrediction, probability,
// prediction).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/context.h"
#include "frame/dataframe.h"

namespace ember::runner {

enum class Task { kBinary, kMulticlass, kRegression };
std::string_view TaskName(Task task);

/// Every metric name a spec may ask for.
std::vector<std::string> KnownMetricNames();
/// Whether `metric` applies to `task`.
bool MetricAppliesTo(const std::string& metric, Task task);
/// What a run reports when the spec names no metrics.
std::vector<std::string> DefaultMetrics(Task task);

/// Names the columns the metrics read.
struct ScoredColumns {
  std::string label;
  std::string weight;  // empty: unweighted
  std::string prediction = "prediction";
  std::string probability = "probability";
  std::string raw_prediction = "rawPrediction";
};

/// metric -> value on `scored`. Throws InvalidArgument for a metric that does
/// not apply to the task, naming the valid ones.
std::map<std::string, double> ComputeMetrics(Task task, const std::vector<std::string>& metrics,
                                             const DataFrame& scored, const ScoredColumns& columns,
                                             const Context& ctx);

}  // namespace ember::runner
