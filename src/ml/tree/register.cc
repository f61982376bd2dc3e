#include "ml/tree/register.h"

#include "ml/tree/tree_estimator.h"
#include "ml/tree/tree_models.h"

namespace ember {

namespace {

const char* Doc(TreeAlgorithm a) {
  switch (a) {
    case TreeAlgorithm::kDecisionTreeClassifier: return "a decision tree classifier (gini or entropy)";
    case TreeAlgorithm::kDecisionTreeRegressor: return "a decision tree regressor (variance)";
    case TreeAlgorithm::kRandomForestClassifier: return "a random forest classifier";
    case TreeAlgorithm::kRandomForestRegressor: return "a random forest regressor";
    case TreeAlgorithm::kGBTClassifier: return "gradient-boosted trees for binary classification (Newton steps)";
    case TreeAlgorithm::kGBTRegressor: return "gradient-boosted trees for regression (squared or absolute loss)";
  }
  return "";
}

}  // namespace

void RegisterTreeStages(StageRegistry& registry) {
  for (int i = 0; i < 6; ++i) {
    const auto a = static_cast<TreeAlgorithm>(i);
    registry.Register({
        .name = TreeStageName(a, false),
        .kind = StageKind::kEstimator,
        .params = &TreeParams(a, false),
        .make = [a](ParamMap p, std::string uid) { return std::make_unique<TreeEstimator>(a, std::move(p), uid); },
        .doc = Doc(a),
    });
    registry.Register({
        .name = TreeStageName(a, true),
        .kind = StageKind::kModel,
        .params = &TreeParams(a, true),
        .load = [a](const ArtifactReader& r, const StageRegistry&) -> std::shared_ptr<const Stage> {
          return IsClassifier(a) ? TreeClassificationModel::Load(a, r) : TreeRegressionModel::Load(a, r);
        },
        .doc = std::string("a fitted ") + Doc(a),
    });
  }
}

}  // namespace ember
