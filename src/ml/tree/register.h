// Registration of the tree stages (estimators and their models) in a StageRegistry.
#pragma once

#include "ml/pipeline/registry.h"

namespace ember {

/// Adds DecisionTreeClassifier/Regressor, RandomForestClassifier/Regressor,
/// GBTClassifier/Regressor and their Spark-named models.
void RegisterTreeStages(StageRegistry& registry);

}  // namespace ember
