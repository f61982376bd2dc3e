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

/// Names of the features vector's entries: when a VectorAssembler built it,
/// its scalar inputs by name and vector inputs as "name[i]"; "f0", "f1", ...
/// otherwise. `input` is the schema the first stage sees.
std::vector<std::string> FeatureNames(const std::vector<TransformerPtr>& stages, const Schema& input,
                                      const std::string& features_col, size_t count);

}  // namespace ember::runner
