// Registration of the feature stages (transformers, estimators and their
// models) in a StageRegistry; called once at start-up beside
// RegisterPipelineStages.
#pragma once

#include "ml/pipeline/registry.h"

namespace ember {

/// Adds every feature stage of src/ml/feature to `registry`.
/// REQUIRES: none of them is registered yet.
void RegisterFeatureStages(StageRegistry& registry);

}  // namespace ember
