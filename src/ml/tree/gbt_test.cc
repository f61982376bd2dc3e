// Boosting beyond Spark: softmax multiclass, per-tree feature sampling,
// early stopping with patience, per-round losses, and the binned-matrix
// cache shared by repeated fits.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "core/random.h"
#include "ml/pipeline/persistence.h"
#include "ml/tree/binned_matrix_cache.h"
#include "ml/tree/register.h"
#include "ml/tree/tree_estimator.h"
#include "ml/tree/tree_learner.h"
#include "ml/tree/tree_models.h"

namespace ember {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::vector<double> Doubles(const DataFrame& df, const std::string& col) {
  const Column& c = *df.column(col);
  if (c.type().id == TypeId::kDenseVector) {
    auto v = c.values<float>();
    return {v.begin(), v.end()};
  }
  auto v = c.values<double>();
  return {v.begin(), v.end()};
}

/// n rows of 4 features; the label is the class 0..2 of a noisy nonlinear score.
DataFrame ThreeClasses(size_t n, uint64_t seed) {
  Rng rng(seed, 0);
  std::vector<float> x(n * 4);
  std::vector<double> y(n);
  for (size_t i = 0; i < n; ++i) {
    float* r = x.data() + i * 4;
    for (int f = 0; f < 4; ++f) r[f] = static_cast<float>(rng.Normal());
    const double s = r[0] + 0.5 * r[1] * r[2] + 0.3 * rng.Normal();
    y[i] = s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
  }
  return DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(n, 4, x), MakeColumn(y)});
}

std::shared_ptr<const TreeClassificationModel> FitClassifier(const DataFrame& df, const json& params, int threads = 1) {
  auto model = std::dynamic_pointer_cast<const TreeClassificationModel>(
      TreeEstimator::Make(TreeAlgorithm::kGBTClassifier, params)->Fit(df, Context::Default(threads)));
  EXPECT_TRUE(model);
  return model;
}

TEST(GBTSoftmaxTest, OneRoundMatchesTheClosedForm) {
  // x = class, 10 rows of each of 3 classes. Priors 1/3, so every row starts
  // at p_k = 1/3: g = 1/3 - [y = k], h = 2 p (1 - p) = 4/9. With lambda 1
  // and step 0.1 a leaf holding rows R is -0.1 * sum g / (sum h + 1):
  //   the 10 rows of the tree's own class:  0.1 * (20/3) / (40/9 + 1) = 6/49
  //   10 rows of another class alone:      -0.1 * (10/3) / (40/9 + 1) = -3/49
  //   20 rows of the two other classes:    -0.1 * (20/3) / (80/9 + 1) = -6/89
  // Tree 0 splits {0} | {1, 2} and tree 2 {0, 1} | {2} (the best first
  // splits: 400/49 + 400/89 against 100/49 + 100/89); splitting their pure
  // pair further would lose score, so only tree 1 reaches three leaves.
  std::vector<float> x;
  std::vector<double> y;
  for (int c = 0; c < 3; ++c) {
    for (int i = 0; i < 10; ++i) {
      x.push_back(static_cast<float>(c));
      y.push_back(c);
    }
  }
  const DataFrame df = DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(30, 1, x), MakeColumn(y)});
  auto model = FitClassifier(df, {{"maxIter", 1}, {"maxDepth", 2}, {"stepSize", 0.1}, {"regLambda", 1.0}});
  EXPECT_EQ(model->num_classes(), 3);
  EXPECT_EQ(model->num_trees(), 3);
  const double own = 6.0 / 49, other = -3.0 / 49, pair = -6.0 / 89, init = std::log(1.0 / 3);
  const double expected[3][3] = {{own, other, pair}, {pair, own, pair}, {pair, other, own}};
  const DataFrame out = model->Transform(df, Context::Default(1));
  const auto raw = Doubles(out, "rawPrediction"), prob = Doubles(out, "probability");
  const auto pred = Doubles(out, "prediction");
  for (int c = 0; c < 3; ++c) {
    const size_t row = static_cast<size_t>(c) * 10;
    double z = 0;
    for (int k = 0; k < 3; ++k) z += std::exp(init + expected[c][k]);
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(raw[row * 3 + k], init + expected[c][k], 1e-6) << "class " << c << " output " << k;
      EXPECT_NEAR(prob[row * 3 + k], std::exp(init + expected[c][k]) / z, 1e-6);
    }
    EXPECT_EQ(pred[row], c);
  }
}

TEST(GBTSoftmaxTest, ThreeClassesLearnAreThreadInvariantAndSurviveSaveLoad) {
  const DataFrame train = ThreeClasses(3000, 1), test = ThreeClasses(1000, 2);
  const json params{{"maxIter", 15}, {"maxDepth", 4}, {"stepSize", 0.3}, {"subsamplingRate", 0.8}};
  auto model = FitClassifier(train, params, 2);
  EXPECT_EQ(model->num_trees(), 45);
  const DataFrame out = model->Transform(test, Context::Default(2));
  const auto pred = Doubles(out, "prediction"), label = Doubles(out, "label"), prob = Doubles(out, "probability");
  double right = 0;
  for (size_t i = 0; i < pred.size(); ++i) right += pred[i] == label[i];
  EXPECT_GT(right / static_cast<double>(pred.size()), 0.75);  // chance: 0.4
  for (size_t i = 0; i < pred.size(); ++i) EXPECT_NEAR(prob[3 * i] + prob[3 * i + 1] + prob[3 * i + 2], 1.0, 1e-5);
  const auto& loss = model->history().training_loss;
  ASSERT_EQ(loss.size(), 15u);
  EXPECT_LT(loss.front(), std::log(3.0));
  for (size_t i = 1; i < loss.size(); ++i) EXPECT_LT(loss[i], loss[i - 1]);

  EXPECT_EQ(Doubles(FitClassifier(train, params, 1)->Transform(test, Context::Default(1)), "rawPrediction"),
            Doubles(out, "rawPrediction"));
  const std::string dir = (fs::temp_directory_path() / ("ember-gbt-softmax-" + std::to_string(::getpid()))).string();
  StageRegistry registry;
  RegisterTreeStages(registry);
  SaveStage(*model, dir);
  auto loaded = std::dynamic_pointer_cast<const TreeClassificationModel>(LoadStageAs<Model>(registry, dir));
  fs::remove_all(dir);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->num_classes(), 3);
  EXPECT_EQ(Doubles(loaded->Transform(test, Context::Default(1)), "probability"), prob);
  EXPECT_EQ(loaded->history().training_loss, loss);
}

TEST(ColsampleByTreeTest, DrawsTheExpectedCountDeterministically) {
  EXPECT_EQ(SampleTreeFeatures(10, 0.35, 7, 0).size(), 3u);  // floor(3.5)
  EXPECT_EQ(SampleTreeFeatures(10, 0.01, 7, 0).size(), 1u);  // at least one
  EXPECT_EQ(SampleTreeFeatures(10, 1.0, 7, 0), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  std::set<std::vector<int>> seen;
  for (uint64_t t = 0; t < 20; ++t) {
    const auto f = SampleTreeFeatures(10, 0.5, 7, t);
    ASSERT_EQ(f.size(), 5u);
    EXPECT_TRUE(std::is_sorted(f.begin(), f.end()));
    EXPECT_EQ(std::set<int>(f.begin(), f.end()).size(), 5u);
    EXPECT_EQ(f, SampleTreeFeatures(10, 0.5, 7, t));
    seen.insert(f);
  }
  EXPECT_GT(seen.size(), 10u);  // trees draw different subsets
  EXPECT_NE(SampleTreeFeatures(10, 0.5, 7, 0), SampleTreeFeatures(10, 0.5, 8, 0));
}

TEST(ColsampleByTreeTest, TreesSplitOnlyOnTheirDrawnFeatures) {
  const DataFrame train = ThreeClasses(2000, 3);
  const json params{{"maxIter", 6}, {"maxDepth", 3}, {"colsampleByTree", 0.5}, {"seed", 11}};
  auto model = FitClassifier(train, params);
  const auto& trees = model->ensemble().trees;
  ASSERT_EQ(trees.size(), 18u);
  for (size_t t = 0; t < trees.size(); ++t) {
    const auto allowed = SampleTreeFeatures(4, 0.5, 11, t);
    ASSERT_EQ(allowed.size(), 2u);
    for (int32_t f : trees[t].feature) {
      if (f >= 0) {
        EXPECT_TRUE(f == allowed[0] || f == allowed[1]) << "tree " << t << " splits on " << f;
      }
    }
  }
  EXPECT_EQ(FitClassifier(train, params, 2)->ToDebugString(), model->ToDebugString());
}

/// Training rows x = 0..99 with y = [x >= 50]; validation rows (if any) repeat
/// them with the labels flipped, so every round makes the validation loss worse.
DataFrame FlippedValidation(bool with_validation) {
  std::vector<float> x;
  std::vector<double> y, v;
  for (int copy = 0; copy < (with_validation ? 2 : 1); ++copy) {
    for (int i = 0; i < 100; ++i) {
      x.push_back(static_cast<float>(i));
      y.push_back((i >= 50) != (copy == 1) ? 1 : 0);
      v.push_back(copy);
    }
  }
  return DataFrame::Make({"features", "label", "isVal"},
                         {MakeDenseVectorColumn(y.size(), 1, x), MakeColumn(y), MakeColumn(v)});
}

TEST(GBTEarlyStoppingTest, ValidationRowsStopTrainingAndAreNotTrainedOn) {
  const DataFrame both = FlippedValidation(true), train_only = FlippedValidation(false);
  for (int patience : {1, 3}) {
    auto model = FitClassifier(
        both,
        {{"maxIter", 20}, {"maxDepth", 2}, {"validationIndicatorCol", "isVal"}, {"earlyStoppingRounds", patience}});
    // Round 1 is the best; the loss then worsens for `patience` rounds.
    EXPECT_EQ(model->num_trees(), 1);
    EXPECT_EQ(model->history().validation_loss.size(), static_cast<size_t>(1 + patience));
    EXPECT_EQ(model->history().training_loss.size(), static_cast<size_t>(1 + patience));
    for (size_t m = 1; m < model->history().validation_loss.size(); ++m) {
      EXPECT_GT(model->history().validation_loss[m], model->history().validation_loss[m - 1]);
    }
    // The per-round losses (what the tracking layer logs) survive save/load.
    const std::string dir = (fs::temp_directory_path() / ("ember-gbt-history-" + std::to_string(::getpid()))).string();
    StageRegistry registry;
    RegisterTreeStages(registry);
    SaveStage(*model, dir);
    auto loaded = std::dynamic_pointer_cast<const TreeClassificationModel>(LoadStageAs<Model>(registry, dir));
    fs::remove_all(dir);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->history().training_loss, model->history().training_loss);
    EXPECT_EQ(loaded->history().validation_loss, model->history().validation_loss);
    // The same single tree as training on the training rows alone.
    auto reference = FitClassifier(train_only, {{"maxIter", 1}, {"maxDepth", 2}});
    EXPECT_EQ(Doubles(model->Transform(train_only, Context::Default(1)), "rawPrediction"),
              Doubles(reference->Transform(train_only, Context::Default(1)), "rawPrediction"));
  }
}

TEST(GBTEarlyStoppingTest, PatienceKeepsTheBestRound) {
  // Noisy labels and a large step: the validation loss bottoms out early.
  DataFrame df = ThreeClasses(3000, 5);
  std::vector<double> is_val(3000);
  for (size_t i = 0; i < is_val.size(); ++i) is_val[i] = i % 3 == 0 ? 1 : 0;
  df = df.WithColumn("isVal", MakeColumn(is_val));
  for (int patience : {1, 4}) {
    const double tol = 0.001;
    auto model = FitClassifier(df, {{"maxIter", 100},
                                    {"maxDepth", 6},
                                    {"stepSize", 0.7},
                                    {"validationIndicatorCol", "isVal"},
                                    {"validationTol", tol},
                                    {"earlyStoppingRounds", patience}});
    const auto& v = model->history().validation_loss;
    ASSERT_LT(v.size(), 100u) << "patience " << patience;
    // Replay the rule on the recorded losses: a round improves when the loss
    // falls by tol * max(loss, 0.01); the last round is the patience-th
    // without one; the kept trees are those up to the lowest loss.
    int since = 0;
    size_t best_round = 0;
    double best = INFINITY;
    for (size_t m = 0; m < v.size(); ++m) {
      since = best - v[m] < tol * std::max(v[m], 0.01) ? since + 1 : 0;
      EXPECT_EQ(since == patience, m + 1 == v.size()) << "round " << m;
      if (since < patience && v[m] < best) best = v[m], best_round = m + 1;
    }
    EXPECT_EQ(model->num_trees(), static_cast<int>(3 * best_round));
  }
}

TEST(BinnedMatrixCacheTest, SecondFitOnTheSameFrameSkipsBinning) {
  ClearBinnedMatrixCache();
  const DataFrame train = ThreeClasses(2000, 9), test = ThreeClasses(300, 10);
  const json params{{"maxIter", 4}, {"maxDepth", 3}};
  const BinnedMatrixCacheStats before = GetBinnedMatrixCacheStats();
  const auto first = Doubles(FitClassifier(train, params)->Transform(test, Context::Default(1)), "rawPrediction");
  EXPECT_EQ(GetBinnedMatrixCacheStats().builds, before.builds + 1);
  const auto second = Doubles(FitClassifier(train, params)->Transform(test, Context::Default(1)), "rawPrediction");
  EXPECT_EQ(GetBinnedMatrixCacheStats().builds, before.builds + 1);
  EXPECT_EQ(GetBinnedMatrixCacheStats().hits, before.hits + 1);
  EXPECT_EQ(second, first);
  // Other binning params or another column are misses; a rebuild gives the same model.
  FitClassifier(train, {{"maxIter", 1}, {"maxBins", 16}});
  EXPECT_EQ(GetBinnedMatrixCacheStats().builds, before.builds + 2);
  ClearBinnedMatrixCache();
  EXPECT_EQ(Doubles(FitClassifier(train, params)->Transform(test, Context::Default(1)), "rawPrediction"), first);
  EXPECT_EQ(GetBinnedMatrixCacheStats().builds, before.builds + 3);
  ClearBinnedMatrixCache();
  EXPECT_EQ(GetBinnedMatrixCacheStats().entries, 0u);
}

}  // namespace
}  // namespace ember
