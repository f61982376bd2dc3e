// Pipeline (an Estimator over a list of stages) and PipelineModel (the
// fitted list of transformers), with Spark's semantics: fitting runs the
// stages in order, fitting each estimator on the output of the stages before
// it; transformers after the last estimator are kept as they are.
#pragma once

#include <memory>
#include <vector>

#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

class Pipeline final : public Estimator {
 public:
  /// Every stage must be a Transformer or an Estimator (InvalidArgument otherwise).
  static std::unique_ptr<Pipeline> Make(std::vector<std::shared_ptr<const Stage>> stages);

  const std::vector<std::shared_ptr<const Stage>>& stages() const { return stages_; }

  /// Folds the stages' TransformSchema: every stage's input errors surface
  /// before any data is touched.
  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
  /// The fitted model and its output on `input`: the same model as Fit and
  /// the same frame as model->Transform(input), but each stage transforms
  /// the data once (Fit alone already transforms through the stages before
  /// the last estimator; Transform would repeat those), and estimators fit
  /// and transform through their own FitTransform.
  FitOutput FitTransform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;

  static const ParamTable& Params();
  Pipeline(std::vector<std::shared_ptr<const Stage>> stages, std::string uid);

 private:
  // Fits every estimator in order; transforms the data through the first
  // `transform_through` stages.
  FitOutput FitStages(const DataFrame& input, const Context& ctx, size_t transform_through) const;

  std::vector<std::shared_ptr<const Stage>> stages_;
};

class PipelineModel final : public Model {
 public:
  PipelineModel(std::vector<TransformerPtr> stages, std::string uid, Schema input_schema);

  const std::vector<TransformerPtr>& stages() const { return stages_; }
  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;

  static const ParamTable& Params();

 private:
  std::vector<TransformerPtr> stages_;
};

/// Adds Pipeline and PipelineModel to a registry.
void RegisterPipelineStages(StageRegistry& registry);

}  // namespace ember
