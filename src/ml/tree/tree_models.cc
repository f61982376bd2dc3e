#include "ml/tree/tree_models.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "frame/buffer.h"
#include "ml/pipeline/artifact.h"
#include "ml/pipeline/classifier_output.h"

namespace ember {

namespace {

void CheckFeatures(const Stage& stage, const Schema& input, int num_features) {
  const Field& f = RequireColumn(stage, input, "featuresCol", stage.params().GetString("featuresCol"));
  if (!f.type.is_vector() || f.type.dim != num_features) {
    throw SchemaError(fmt::format("{}: featuresCol '{}' must be a vector of {} features, got {}", stage.class_name(),
                                  f.name, num_features, f.type.ToString()));
  }
}

void SaveHistory(const TreeTrainingHistory& h, ArtifactWriter& w) {
  w.PutDoubles("trainingLoss", h.training_loss);
  w.PutDoubles("validationLoss", h.validation_loss);
}

TreeTrainingHistory LoadHistory(const ArtifactReader& r) {
  return {r.GetDoubles("trainingLoss"), r.GetDoubles("validationLoss")};
}

}  // namespace

TreeClassificationModel::TreeClassificationModel(TreeAlgorithm algorithm, ParamMap params, std::string uid,
                                                 Schema input_schema, int num_classes, ClassOutput output,
                                                 TreeEnsemble ensemble, TreeTrainingHistory history)
    : Model(std::move(params), std::move(uid), std::move(input_schema)), algorithm_(algorithm),
      num_classes_(num_classes), output_(output), ensemble_(std::move(ensemble)), history_(std::move(history)) {
  const int want = output_ == ClassOutput::kLogistic ? 1 : num_classes_;
  if (num_classes_ < 2 || ensemble_.num_outputs != want || (output_ == ClassOutput::kLogistic && num_classes_ != 2)) {
    throw CorruptData(fmt::format("{}: {} classes do not fit an ensemble of {} outputs", class_name(), num_classes_,
                                  ensemble_.num_outputs));
  }
}

Schema TreeClassificationModel::TransformSchema(const Schema& input) const {
  CheckFeatures(*this, input, ensemble_.num_features);
  return AppendClassifierOutputs(*this, input, ClassifierColumns::FromParams(params()), num_classes_);
}

DataFrame TreeClassificationModel::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& features = *input.column(params().GetString("featuresCol"));
  const auto K = static_cast<size_t>(ensemble_.num_outputs);
  std::vector<double> margins(input.num_rows() * K);
  ensemble_.Predict(features, margins, ctx);
  std::vector<double> thresholds = params().GetDoubleList("thresholds");
  if (!thresholds.empty() && thresholds.size() != static_cast<size_t>(num_classes_)) {
    throw InvalidArgument(fmt::format("{}: thresholds has {} entries for {} classes", class_name(), thresholds.size(),
                                      num_classes_));
  }
  auto score = [&](size_t i, std::span<double> raw, std::span<double> prob) {
    if (output_ == ClassOutput::kLogistic) {
      const double f = margins[i];
      raw[0] = -f;
      raw[1] = f;
      prob[1] = 1.0 / (1.0 + std::exp(-f));
      prob[0] = 1.0 - prob[1];
      return;
    }
    if (output_ == ClassOutput::kSoftmax) {
      double top = margins[i * K];
      for (size_t k = 0; k < K; ++k) top = std::max(top, raw[k] = margins[i * K + k]);
      double sum = 0;
      for (size_t k = 0; k < K; ++k) sum += prob[k] = std::exp(raw[k] - top);
      for (size_t k = 0; k < K; ++k) prob[k] /= sum;
      return;
    }
    double sum = 0;
    for (size_t k = 0; k < K; ++k) sum += raw[k] = margins[i * K + k];
    for (size_t k = 0; k < K; ++k) prob[k] = sum > 0 ? raw[k] / sum : 1.0 / static_cast<double>(K);
  };
  return AppendClassifierPredictions(input, ClassifierColumns::FromParams(params()), num_classes_, thresholds, score,
                                     ctx);
}

void TreeClassificationModel::SaveData(ArtifactWriter& writer) const {
  ensemble_.Save(writer);
  SaveHistory(history_, writer);
  writer.extra()["numClasses"] = num_classes_;
  writer.extra()["output"] = output_ == ClassOutput::kLogistic  ? "logistic"
                             : output_ == ClassOutput::kSoftmax ? "softmax"
                                                                : "vote";
}

std::shared_ptr<const Stage> TreeClassificationModel::Load(TreeAlgorithm algorithm, const ArtifactReader& r) {
  const auto output = r.ExtraValue<std::string>("output");
  if (output != "logistic" && output != "vote" && output != "softmax") {
    throw CorruptData(fmt::format("'{}': output must be 'logistic', 'softmax' or 'vote', got '{}'", r.dir(), output));
  }
  return std::make_shared<TreeClassificationModel>(
      algorithm, r.Params(TreeParams(algorithm, true)), r.uid(), r.InputSchema(), r.ExtraValue<int>("numClasses"),
      output == "logistic"  ? ClassOutput::kLogistic
      : output == "softmax" ? ClassOutput::kSoftmax
                            : ClassOutput::kVote,
      TreeEnsemble::Load(r), LoadHistory(r));
}

TreeRegressionModel::TreeRegressionModel(TreeAlgorithm algorithm, ParamMap params, std::string uid,
                                         Schema input_schema, TreeEnsemble ensemble, TreeTrainingHistory history)
    : Model(std::move(params), std::move(uid), std::move(input_schema)), algorithm_(algorithm),
      ensemble_(std::move(ensemble)), history_(std::move(history)) {
  if (ensemble_.num_outputs != 1) {
    throw CorruptData(fmt::format("{}: a regression ensemble has 1 output, got {}", class_name(),
                                  ensemble_.num_outputs));
  }
}

Schema TreeRegressionModel::TransformSchema(const Schema& input) const {
  CheckFeatures(*this, input, ensemble_.num_features);
  RequireAbsent(*this, input, "predictionCol", params().GetString("predictionCol"));
  return AppendField(input, {params().GetString("predictionCol"), DataType::Float64(), {}});
}

DataFrame TreeRegressionModel::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& features = *input.column(params().GetString("featuresCol"));
  const size_t n = input.num_rows();
  auto out = Buffer::Allocate(n * sizeof(double));
  ensemble_.Predict(features, std::span<double>(out->mutable_as<double>(), n), ctx);
  return input.WithColumn(params().GetString("predictionCol"),
                          Column::Make(DataType::Float64(), n, {.values = std::move(out)}));
}

void TreeRegressionModel::SaveData(ArtifactWriter& writer) const {
  ensemble_.Save(writer);
  SaveHistory(history_, writer);
}

std::shared_ptr<const Stage> TreeRegressionModel::Load(TreeAlgorithm algorithm, const ArtifactReader& r) {
  return std::make_shared<TreeRegressionModel>(algorithm, r.Params(TreeParams(algorithm, true)), r.uid(),
                                               r.InputSchema(), TreeEnsemble::Load(r), LoadHistory(r));
}

}  // namespace ember
