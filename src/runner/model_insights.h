// What a fitted model can tell about its training, read from the model
// classes ember has: per-iteration losses (for tracking metrics with steps
// and the report's loss plot) and feature importances.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ml/pipeline/stage.h"
#include "report/run_report.h"

namespace ember::runner {

struct ModelInsights {
  std::vector<report::Series> loss_history;  // "train", "validation"
  std::vector<double> feature_importances;   // by index of the features vector; empty when unknown
};

/// Insights of `model` (the last fitted stage); empty for models without any.
ModelInsights InspectModel(const Transformer& model);

/// Names of the features vector's entries when the stage that assembled it is
/// a VectorAssembler of scalar columns ("f0", "f1", ... otherwise).
std::vector<std::string> FeatureNames(const std::vector<TransformerPtr>& stages, const std::string& features_col,
                                      size_t count);

}  // namespace ember::runner
