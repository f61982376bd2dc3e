// Builds a spec's stages and fits them in order, Spark's Pipeline semantics,
// resuming from the stage cache where a prefix of the pipeline is unchanged.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/context.h"
#include "frame/dataframe.h"
#include "ml/pipeline/pipeline.h"
#include "runner/spec.h"
#include "runner/stage_cache.h"

namespace ember::runner {

/// A stage of the spec, built, with the params it was built with.
struct BuiltStage {
  std::shared_ptr<const Stage> stage;
  std::string params_json;  // canonical (sorted keys) explicit params
  SpecLocation location;
};

/// Builds the spec's stages. Estimators with a labelCol / weightCol / seed
/// param the spec leaves unset get the run's label column, weight column and
/// seed. Uids are derived from the position and params, so the same spec
/// gives the same model bytes. Then folds TransformSchema over `input` (the
/// schema after label encoding): a missing or mistyped column is a
/// SchemaError that starts with the stage's spec location.
std::vector<BuiltStage> BuildStages(const RunSpec& spec, const Schema& input, uint64_t seed);

/// Whether the last estimator of the spec predicts a number (a regressor).
bool IsRegression(const RunSpec& spec);

struct StageOutcome {
  std::string stage_class;
  bool reused = false;  // loaded from the cache instead of fitted
  double seconds = 0;
};

struct FitResult {
  std::shared_ptr<const PipelineModel> model;
  DataFrame train_output;  // the training frame through every fitted stage
  std::vector<StageOutcome> stages;
};

/// Fits the stages in order on `train`. With a cache, the prefix key starts
/// at `input_key` (hash of the training data and its preparation) and each
/// fitted prefix is stored. `on_stage` is told about each stage as it ends.
FitResult FitStages(const std::vector<BuiltStage>& stages, const DataFrame& train, const std::string& input_key,
                    const StageCache* cache, const std::function<void(size_t, const StageOutcome&)>& on_stage,
                    const Context& ctx);

}  // namespace ember::runner
