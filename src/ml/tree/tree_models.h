// The fitted tree models: one classification and one regression class serve
// the decision tree, random forest and GBT models (their Spark class names
// come from their param tables). Each holds a TreeEnsemble and predicts in
// batches over row blocks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"
#include "ml/tree/tree_ensemble.h"
#include "ml/tree/tree_params.h"

namespace ember {

/// How a classifier turns the ensemble's outputs into rawPrediction and probability.
enum class ClassOutput {
  kLogistic,  // one margin F: rawPrediction [-F, F], P(1) = 1 / (1 + exp(-F))
  kVote,      // K summed class probabilities: rawPrediction = the sums, probability = normalised
  kSoftmax,   // K margins: rawPrediction = the margins, probability = softmax (multiclass boosting)
};

/// Per-round losses recorded while training (boosting only), for the
/// tracking layer to log as metrics with steps 1, 2, ...: training_loss[m]
/// is the weighted mean loss on the training rows after round m + 1 (all K
/// trees of a softmax round), validation_loss[m] the same on the
/// validationIndicatorCol rows (empty without them). Early stopping keeps
/// the rounds after the best one here although their trees are dropped.
/// Saved and loaded with the model.
struct TreeTrainingHistory {
  std::vector<double> training_loss;
  std::vector<double> validation_loss;
};

class TreeClassificationModel final : public Model {
 public:
  TreeClassificationModel(TreeAlgorithm algorithm, ParamMap params, std::string uid, Schema input_schema,
                          int num_classes, ClassOutput output, TreeEnsemble ensemble, TreeTrainingHistory history);

  TreeAlgorithm algorithm() const { return algorithm_; }
  int num_classes() const { return num_classes_; }
  int num_features() const { return ensemble_.num_features; }
  int num_trees() const { return static_cast<int>(ensemble_.trees.size()); }
  const TreeEnsemble& ensemble() const { return ensemble_; }
  const TreeTrainingHistory& history() const { return history_; }
  std::vector<double> FeatureImportances() const { return ensemble_.FeatureImportances(); }
  std::string ToDebugString() const { return ensemble_.ToDebugString(class_name()); }

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;

  /// Reads what SaveData wrote; throws CorruptData on damaged data.
  static std::shared_ptr<const Stage> Load(TreeAlgorithm algorithm, const ArtifactReader& reader);

 private:
  TreeAlgorithm algorithm_;
  int num_classes_;
  ClassOutput output_;
  TreeEnsemble ensemble_;
  TreeTrainingHistory history_;
};

class TreeRegressionModel final : public Model {
 public:
  TreeRegressionModel(TreeAlgorithm algorithm, ParamMap params, std::string uid, Schema input_schema,
                      TreeEnsemble ensemble, TreeTrainingHistory history);

  TreeAlgorithm algorithm() const { return algorithm_; }
  int num_features() const { return ensemble_.num_features; }
  int num_trees() const { return static_cast<int>(ensemble_.trees.size()); }
  const TreeEnsemble& ensemble() const { return ensemble_; }
  const TreeTrainingHistory& history() const { return history_; }
  std::vector<double> FeatureImportances() const { return ensemble_.FeatureImportances(); }
  std::string ToDebugString() const { return ensemble_.ToDebugString(class_name()); }

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;

  /// Reads what SaveData wrote; throws CorruptData on damaged data.
  static std::shared_ptr<const Stage> Load(TreeAlgorithm algorithm, const ArtifactReader& reader);

 private:
  TreeAlgorithm algorithm_;
  TreeEnsemble ensemble_;
  TreeTrainingHistory history_;
};

}  // namespace ember
