// Categorical features (categoricalFeatures): one bin per category code,
// splits that group categories, prediction of unseen codes and NaN,
// save/load, thread invariance and bad input.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/random.h"
#include "ml/pipeline/persistence.h"
#include "ml/tree/register.h"
#include "ml/tree/tree_estimator.h"
#include "ml/tree/tree_models.h"
#include "ml/tree/tree_test_util.h"

namespace ember {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

std::vector<double> Predictions(const Model& model, const DataFrame& df) {
  const DataFrame out = model.Transform(df, Context::Default(1));
  auto v = out.column("prediction")->values<double>();
  return {v.begin(), v.end()};
}

TEST(CategoricalSplitTest, OneSplitGroupsTheCategoriesOfEqualMean) {
  // Codes 0 and 2 have label 10, codes 1 and 3 label 0: no threshold on the
  // codes separates them in one split; a category set does.
  const std::vector<float> codes{0, 1, 2, 3, 0, 1, 2, 3};
  const std::vector<double> y{10, 0, 10, 0, 10, 0, 10, 0};
  const DataFrame df = DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(8, 1, codes), MakeColumn(y)});
  auto est = TreeEstimator::Make(TreeAlgorithm::kDecisionTreeRegressor,
                                 {{"maxDepth", 1}, {"categoricalFeatures", {0}}});
  auto model = std::dynamic_pointer_cast<const TreeRegressionModel>(est->Fit(df, Context::Default(1)));
  const Tree& t = model->ensemble().trees[0];
  ASSERT_EQ(t.num_nodes(), 3u);
  ASSERT_GE(t.category_set[0], 0);
  // Sorted by leaf value (-G / H: -10 for codes 0, 2; 0 for codes 1, 3), the
  // prefix {0, 2} goes left.
  EXPECT_TRUE(t.InCategorySet(0, 0));
  EXPECT_TRUE(t.InCategorySet(0, 2));
  EXPECT_FALSE(t.InCategorySet(0, 1));
  EXPECT_FALSE(t.InCategorySet(0, 3));
  EXPECT_EQ(Predictions(*model, df), y);
  EXPECT_NE(model->ensemble().ToDebugString("t").find("If (feature 0 in {0.0,2.0})"), std::string::npos);
  // A code never seen in training goes right (to the {1, 3} leaf); NaN goes
  // to the heavier child (a tie here: right).
  const DataFrame probe =
      DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(3, 1, {7, kNaN, 2}), MakeColumn<double>({0, 0, 0})});
  EXPECT_EQ(Predictions(*model, probe), (std::vector<double>{0, 0, 10}));
  // As a threshold feature the same depth cannot fit it.
  auto numeric = TreeEstimator::Make(TreeAlgorithm::kDecisionTreeRegressor, {{"maxDepth", 1}})->Fit(df,
                                                                                                    Context::Default(1));
  EXPECT_NE(Predictions(*numeric, df), y);
}

/// Rows with a 12-level category (feature 0), whose label depends on
/// membership in {1, 4, 5, 9, 11}, and two noise features.
DataFrame CategoryData(size_t n, uint64_t seed) {
  Rng rng(seed, 0);
  std::vector<float> x(n * 3);
  std::vector<double> y(n);
  for (size_t i = 0; i < n; ++i) {
    const int code = static_cast<int>(rng.Below(12));
    x[i * 3] = rng.Uniform() < 0.05 ? kNaN : static_cast<float>(code);
    x[i * 3 + 1] = static_cast<float>(rng.Normal());
    x[i * 3 + 2] = static_cast<float>(rng.Normal());
    const bool in = code == 1 || code == 4 || code == 5 || code == 9 || code == 11;
    y[i] = (in ? 0.9 : 0.1) > rng.Uniform() ? 1.0 : 0.0;
  }
  return DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(n, 3, x), MakeColumn(y)});
}

TEST(CategoricalSplitTest, BoostingLearnsASetAndSavesItThreadInvariantly) {
  const DataFrame train = CategoryData(4000, 1), test = CategoryData(1000, 2);
  const nlohmann::json params{{"maxIter", 5}, {"maxDepth", 2}, {"categoricalFeatures", {0}}, {"maxBins", 16}};
  auto est = TreeEstimator::Make(TreeAlgorithm::kGBTClassifier, params);
  auto one = est->Fit(train, Context::Default(1));
  auto two = est->Fit(train, Context::Default(2));
  const std::vector<double> p = Predictions(*one, test);
  EXPECT_EQ(p, Predictions(*two, test));
  auto model = std::dynamic_pointer_cast<const TreeClassificationModel>(one);
  EXPECT_GE(model->ensemble().trees[0].category_set[0], 0);
  // The Bayes rule (predict 1 inside the set) is right for about 90% of rows.
  double correct = 0;
  auto labels = test.column("label")->values<double>();
  for (size_t i = 0; i < p.size(); ++i) correct += p[i] == labels[i];
  EXPECT_GT(correct / static_cast<double>(p.size()), 0.85);
  TempDir dir;
  StageRegistry registry;
  RegisterTreeStages(registry);
  SaveStage(*one, dir / "gbt");
  auto loaded = LoadStageAs<Model>(registry, dir / "gbt");
  EXPECT_EQ(Predictions(*loaded, test), p);
}

TEST(CategoricalSplitTest, BadCodesAndTooManyCategoriesFailClearly) {
  auto error_of = [](const std::vector<float>& x, int dim, const nlohmann::json& params) -> std::string {
    const size_t n = x.size() / static_cast<size_t>(dim);
    const DataFrame df = DataFrame::Make({"features", "label"},
                                         {MakeDenseVectorColumn(n, dim, x), MakeColumn(std::vector<double>(n, 1.0))});
    try {
      TreeEstimator::Make(TreeAlgorithm::kDecisionTreeRegressor, params)->Fit(df, Context::Default(1));
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(error_of({0, 1, 1.5}, 1, {{"categoricalFeatures", {0}}}).find("categorical feature 0 has value 1.5 at row 2"),
            std::string::npos);
  EXPECT_NE(error_of({0, -1, 1}, 1, {{"categoricalFeatures", {0}}}).find("value -1 at row 1"), std::string::npos);
  EXPECT_NE(error_of({0, 9, 1}, 1, {{"categoricalFeatures", {0}}, {"maxBins", 4}})
                .find("has 10 categories (codes 0..9), more than maxBins 4"),
            std::string::npos);
  EXPECT_NE(error_of({0, 1, 1, 0}, 2, {{"categoricalFeatures", {2}}}).find("categoricalFeatures holds 2"),
            std::string::npos);
}

}  // namespace
}  // namespace ember
