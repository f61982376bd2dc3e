#include "ml/pipeline/pipeline.h"

#include <fmt/format.h>

#include "core/error.h"
#include "ml/pipeline/artifact.h"
#include "ml/pipeline/persistence.h"

namespace ember {

const ParamTable& Pipeline::Params() {
  static const ParamTable table("Pipeline");
  return table;
}

const ParamTable& PipelineModel::Params() {
  static const ParamTable table("PipelineModel");
  return table;
}

Pipeline::Pipeline(std::vector<std::shared_ptr<const Stage>> stages, std::string uid)
    : Estimator(ParamMap(Params()), std::move(uid)), stages_(std::move(stages)) {}

std::unique_ptr<Pipeline> Pipeline::Make(std::vector<std::shared_ptr<const Stage>> stages) {
  for (size_t i = 0; i < stages.size(); ++i) {
    if (stages[i] == nullptr ||
        (!dynamic_cast<const Transformer*>(stages[i].get()) && !dynamic_cast<const Estimator*>(stages[i].get()))) {
      throw InvalidArgument(fmt::format("Pipeline: stage {} is neither a Transformer nor an Estimator", i));
    }
  }
  return std::make_unique<Pipeline>(std::move(stages), MakeUid("Pipeline"));
}

Schema Pipeline::TransformSchema(const Schema& input) const {
  Schema schema = input;
  for (const auto& stage : stages_) schema = stage->TransformSchema(schema);
  return schema;
}

ModelPtr Pipeline::Fit(const DataFrame& input, const Context& ctx) const {
  // Spark: the data goes through a stage only when a later estimator needs it.
  size_t transform_through = 0;
  for (size_t i = 0; i < stages_.size(); ++i) {
    if (dynamic_cast<const Estimator*>(stages_[i].get())) transform_through = i;
  }
  return FitStages(input, ctx, transform_through).model;
}

FitOutput Pipeline::FitTransform(const DataFrame& input, const Context& ctx) const {
  return FitStages(input, ctx, stages_.size());
}

FitOutput Pipeline::FitStages(const DataFrame& input, const Context& ctx, size_t transform_through) const {
  TransformSchema(input.schema());  // all schema errors before any work
  std::vector<TransformerPtr> fitted;
  DataFrame current = input;
  for (size_t i = 0; i < stages_.size(); ++i) {
    TransformerPtr transformer;
    const auto* estimator = dynamic_cast<const Estimator*>(stages_[i].get());
    if (estimator != nullptr && i < transform_through) {
      FitOutput step = estimator->FitTransform(current, ctx);
      transformer = std::move(step.model);
      current = std::move(step.output);
    } else if (estimator != nullptr) {
      transformer = estimator->Fit(current, ctx);
    } else {
      transformer = std::dynamic_pointer_cast<const Transformer>(stages_[i]);
      if (i < transform_through) current = transformer->Transform(current, ctx);
    }
    fitted.push_back(std::move(transformer));
  }
  return {std::make_shared<PipelineModel>(std::move(fitted), uid(), input.schema()), std::move(current)};
}

namespace {

/// Saves nested stages as stages/000_uid, 001_uid, ... (Spark's layout).
template <class StagePtr>
void SaveNested(const std::vector<StagePtr>& stages, ArtifactWriter& writer) {
  std::vector<std::string> paths;
  for (size_t i = 0; i < stages.size(); ++i) {
    const std::string relative = fmt::format("stages/{:03d}_{}", i, stages[i]->uid());
    WriteStageDirectory(*stages[i], writer.MakeSubdir(relative));
    paths.push_back(relative);
  }
  writer.SetStages(std::move(paths));
}

}  // namespace

void Pipeline::SaveData(ArtifactWriter& writer) const { SaveNested(stages_, writer); }

PipelineModel::PipelineModel(std::vector<TransformerPtr> stages, std::string uid, Schema input_schema)
    : Model(ParamMap(Params()), std::move(uid), std::move(input_schema)), stages_(std::move(stages)) {}

Schema PipelineModel::TransformSchema(const Schema& input) const {
  Schema schema = input;
  for (const auto& stage : stages_) schema = stage->TransformSchema(schema);
  return schema;
}

DataFrame PipelineModel::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  DataFrame current = input;
  for (const auto& stage : stages_) current = stage->Transform(current, ctx);
  return current;
}

void PipelineModel::SaveData(ArtifactWriter& writer) const { SaveNested(stages_, writer); }

void RegisterPipelineStages(StageRegistry& registry) {
  registry.Register({
      .name = "Pipeline",
      .kind = StageKind::kEstimator,
      .params = &Pipeline::Params(),
      .load = [](const ArtifactReader& r, const StageRegistry& reg) -> std::shared_ptr<const Stage> {
        std::vector<std::shared_ptr<const Stage>> stages;
        for (const std::string& dir : r.Stages()) stages.push_back(LoadStage(reg, dir));
        return std::make_shared<Pipeline>(std::move(stages), r.uid());
      },
      .doc = "a sequence of transformers and estimators fitted in order",
  });
  registry.Register({
      .name = "PipelineModel",
      .kind = StageKind::kModel,
      .params = &PipelineModel::Params(),
      .load = [](const ArtifactReader& r, const StageRegistry& reg) -> std::shared_ptr<const Stage> {
        std::vector<TransformerPtr> stages;
        for (const std::string& dir : r.Stages()) {
          auto stage = std::dynamic_pointer_cast<const Transformer>(LoadStage(reg, dir));
          if (!stage) throw CorruptData(fmt::format("'{}' inside a PipelineModel is not a transformer", dir));
          stages.push_back(std::move(stage));
        }
        return std::make_shared<PipelineModel>(std::move(stages), r.uid(), r.InputSchema());
      },
      .doc = "a fitted pipeline: its transformers applied in order",
  });
}

}  // namespace ember
