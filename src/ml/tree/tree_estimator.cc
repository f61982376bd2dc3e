#include "ml/tree/tree_estimator.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ml/pipeline/classifier_output.h"
#include "ml/tree/tree_fit.h"

namespace ember {

Schema TreeEstimator::TransformSchema(const Schema& input) const {
  const Field& f = RequireColumn(*this, input, "featuresCol", params().GetString("featuresCol"));
  if (!f.type.is_vector()) {
    throw SchemaError(fmt::format("{}: featuresCol '{}' must be a vector column (use VectorAssembler), got {}",
                                  class_name(), f.name, f.type.ToString()));
  }
  RequireNumericColumn(*this, input, "labelCol", params().GetString("labelCol"));
  if (!params().GetString("weightCol").empty()) {
    RequireNumericColumn(*this, input, "weightCol", params().GetString("weightCol"));
  }
  if (params().table().Find("validationIndicatorCol") && !params().GetString("validationIndicatorCol").empty()) {
    RequireNumericColumn(*this, input, "validationIndicatorCol", params().GetString("validationIndicatorCol"));
  }
  if (IsClassifier(algorithm_)) {
    // The class count is known only after reading labels; 2 is what the schema can promise.
    return AppendClassifierOutputs(*this, input, ClassifierColumns::FromParams(params()), 2);
  }
  RequireAbsent(*this, input, "predictionCol", params().GetString("predictionCol"));
  return AppendField(input, {params().GetString("predictionCol"), DataType::Float64(), {}});
}

ModelPtr TreeEstimator::Fit(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  if (algorithm_ == TreeAlgorithm::kGBTClassifier || algorithm_ == TreeAlgorithm::kGBTRegressor) {
    return FitBoostedTrees(algorithm_, params(), uid(), input, ctx);
  }
  return FitForest(algorithm_, params(), uid(), input, ctx);
}

std::unique_ptr<TreeEstimator> TreeEstimator::Make(TreeAlgorithm algorithm, const nlohmann::json& params) {
  ParamMap p(TreeParams(algorithm, false));
  if (!params.is_null()) p.SetFromJson(params);  // {} in C++ is JSON null
  return std::make_unique<TreeEstimator>(algorithm, std::move(p), MakeUid(TreeStageName(algorithm, false)));
}

}  // namespace ember
