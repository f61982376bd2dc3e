#include "runner/model_insights.h"

#include "ml/linear/linear_regression.h"
#include "ml/linear/logistic_regression.h"
#include "ml/tree/tree_models.h"

namespace ember::runner {
namespace {

void AddSeries(ModelInsights& out, const std::string& name, const std::vector<double>& values) {
  if (!values.empty()) out.loss_history.push_back({name, values});
}

}  // namespace

ModelInsights InspectModel(const Transformer& model) {
  ModelInsights out;
  if (const auto* lr = dynamic_cast<const LogisticRegressionModel*>(&model)) {
    AddSeries(out, "train", lr->summary().objective_history);
  } else if (const auto* linear = dynamic_cast<const LinearRegressionModel*>(&model)) {
    AddSeries(out, "train", linear->summary().objective_history);
  } else if (const auto* tc = dynamic_cast<const TreeClassificationModel*>(&model)) {
    AddSeries(out, "train", tc->history().training_loss);
    AddSeries(out, "validation", tc->history().validation_loss);
    out.feature_importances = tc->FeatureImportances();
  } else if (const auto* tr = dynamic_cast<const TreeRegressionModel*>(&model)) {
    AddSeries(out, "train", tr->history().training_loss);
    AddSeries(out, "validation", tr->history().validation_loss);
    out.feature_importances = tr->FeatureImportances();
  }
  return out;
}

std::vector<std::string> FeatureNames(const std::vector<TransformerPtr>& stages, const std::string& features_col,
                                      size_t count) {
  for (const TransformerPtr& stage : stages) {
    if (stage->class_name() != "VectorAssembler" || !stage->params().HasValue("outputCol") ||
        stage->params().GetString("outputCol") != features_col) {
      continue;
    }
    const std::vector<std::string>& inputs = stage->params().GetStringList("inputCols");
    if (inputs.size() == count) return inputs;
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) names.push_back("f" + std::to_string(i));
  return names;
}

}  // namespace ember::runner
