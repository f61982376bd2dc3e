#include "runner/model_insights.h"

#include "core/error.h"

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

std::vector<std::string> FeatureNames(const std::vector<TransformerPtr>& stages, const Schema& input,
                                      const std::string& features_col, size_t count) {
  Schema schema = input;
  for (const TransformerPtr& stage : stages) {
    const bool assembles = stage->class_name() == "VectorAssembler" && stage->params().HasValue("outputCol") &&
                           stage->params().GetString("outputCol") == features_col;
    if (assembles) {
      std::vector<std::string> names;
      for (const std::string& column : stage->params().GetStringList("inputCols")) {
        const std::optional<size_t> index = schema.Find(column);
        if (!index) break;
        const DataType& type = schema.field(*index).type;
        if (!type.is_vector()) {
          names.push_back(column);
          continue;
        }
        for (int32_t i = 0; i < type.dim; ++i) names.push_back(column + "[" + std::to_string(i) + "]");
      }
      if (names.size() == count) return names;
      break;
    }
    try {
      schema = stage->TransformSchema(schema);
    } catch (const Error&) {
      break;  // the label, which stages ignore at transform time, may be absent
    }
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) names.push_back("f" + std::to_string(i));
  return names;
}

}  // namespace ember::runner
