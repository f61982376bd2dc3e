// The one place that lists every built-in stage family; front doors (the
// CLI, the runner, the Python module) call RegisterBuiltinStages once.
#pragma once

#include "ml/pipeline/registry.h"

namespace ember {

/// Adds every stage ember ships: Pipeline/PipelineModel, the feature
/// transformers, the linear models and the tree models. REQUIRES: `registry`
/// is empty.
void RegisterBuiltinStages(StageRegistry& registry);

/// A registry with the built-in stages, built on first use and immutable
/// afterwards (thread-safe to read).
const StageRegistry& BuiltinStages();

}  // namespace ember
