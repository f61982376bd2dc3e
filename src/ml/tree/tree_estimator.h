// The six tree estimators (DecisionTree, RandomForest and GBT, each as a
// classifier and a regressor): one Estimator class whose Spark name and
// params come from its TreeAlgorithm.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "ml/pipeline/stage.h"
#include "ml/tree/tree_params.h"

namespace ember {

class TreeEstimator final : public Estimator {
 public:
  /// REQUIRES: params were made from TreeParams(algorithm, false).
  TreeEstimator(TreeAlgorithm algorithm, ParamMap params, std::string uid)
      : Estimator(std::move(params), std::move(uid)), algorithm_(algorithm) {}

  TreeAlgorithm algorithm() const { return algorithm_; }
  Schema TransformSchema(const Schema& input) const override;
  /// Fits the model; the result is a TreeClassificationModel or a
  /// TreeRegressionModel, identical for any ctx.threads().
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;

  /// A new estimator with params set from JSON (what tests and C++ callers use).
  static std::unique_ptr<TreeEstimator> Make(TreeAlgorithm algorithm, const nlohmann::json& params);

 private:
  TreeAlgorithm algorithm_;
};

}  // namespace ember
