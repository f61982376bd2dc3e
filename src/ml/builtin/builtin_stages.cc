#include "ml/builtin/builtin_stages.h"

#include "ml/feature/register.h"
#include "ml/linear/linear_regression.h"
#include "ml/linear/logistic_regression.h"
#include "ml/pipeline/pipeline.h"
#include "ml/tree/register.h"

namespace ember {

void RegisterBuiltinStages(StageRegistry& registry) {
  RegisterPipelineStages(registry);
  RegisterFeatureStages(registry);
  RegisterLogisticRegression(registry);
  RegisterLinearRegression(registry);
  RegisterTreeStages(registry);
}

const StageRegistry& BuiltinStages() {
  static const StageRegistry registry = [] {
    StageRegistry r;
    RegisterBuiltinStages(r);
    return r;
  }();
  return registry;
}

}  // namespace ember
