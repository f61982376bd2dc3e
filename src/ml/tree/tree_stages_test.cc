// The tree estimators end to end: fitting, predictions on hand-checkable
// data, thread-count invariance, save/load, registry and bad input.
#include <cmath>
#include <filesystem>
#include <limits>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/progress_test_util.h"
#include "core/random.h"
#include "ml/pipeline/persistence.h"
#include "ml/tree/register.h"
#include "ml/tree/tree_estimator.h"
#include "ml/tree/tree_models.h"
#include "ml/tree/tree_test_util.h"

namespace ember {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

/// n rows of 5 features (one with 10% NaN) and a nonlinear 0/1 label.
DataFrame Synthetic(size_t n, uint64_t seed, bool with_weights = false) {
  Rng rng(seed, 0);
  std::vector<float> x(n * 5);
  std::vector<double> y(n), w(n);
  for (size_t i = 0; i < n; ++i) {
    float* r = x.data() + i * 5;
    for (int f = 0; f < 5; ++f) r[f] = static_cast<float>(rng.Normal());
    const double score = r[0] * r[1] + std::sin(2 * r[2]) + (r[3] > 0.5 ? 1.0 : -0.5);
    if (rng.Uniform() < 0.1) r[4] = std::numeric_limits<float>::quiet_NaN();
    y[i] = score + 0.3 * rng.Normal() > 0 ? 1.0 : 0.0;
    w[i] = 0.5 + rng.Uniform();
  }
  std::vector<std::string> names{"features", "label"};
  std::vector<ColumnPtr> cols{MakeDenseVectorColumn(n, 5, x), MakeColumn(y)};
  if (with_weights) {
    names.push_back("w");
    cols.push_back(MakeColumn(w));
  }
  return DataFrame::Make(names, cols);
}

std::vector<double> Doubles(const DataFrame& df, const std::string& col) {
  const Column& c = *df.column(col);
  if (c.type().id == TypeId::kDenseVector) {
    auto v = c.values<float>();
    return {v.begin(), v.end()};
  }
  auto v = c.values<double>();
  return {v.begin(), v.end()};
}

double Accuracy(const DataFrame& df) {
  const auto p = Doubles(df, "prediction"), y = Doubles(df, "label");
  double ok = 0;
  for (size_t i = 0; i < p.size(); ++i) ok += p[i] == y[i];
  return ok / static_cast<double>(p.size());
}


TEST(GBTClassifierTest, LearnsANonlinearRuleAndLossFalls) {
  const DataFrame train = Synthetic(4000, 1), test = Synthetic(2000, 2);
  auto est = TreeEstimator::Make(TreeAlgorithm::kGBTClassifier, {{"maxIter", 30}, {"maxDepth", 4}});
  auto model = std::dynamic_pointer_cast<const TreeClassificationModel>(est->Fit(train, Context::Default(2)));
  ASSERT_TRUE(model);
  EXPECT_EQ(model->class_name(), "GBTClassificationModel");
  EXPECT_EQ(model->num_trees(), 30);
  EXPECT_GT(Accuracy(model->Transform(test, Context::Default(2))), 0.8);
  const auto& loss = model->history().training_loss;
  ASSERT_EQ(loss.size(), 30u);
  for (size_t i = 1; i < loss.size(); ++i) EXPECT_LT(loss[i], loss[i - 1]);
  // Probabilities are the sigmoid of the margin in rawPrediction.
  const DataFrame out = model->Transform(test, Context::Default(1));
  const auto raw = Doubles(out, "rawPrediction"), prob = Doubles(out, "probability");
  EXPECT_NEAR(prob[1], 1 / (1 + std::exp(-raw[1])), 1e-6);
  EXPECT_FLOAT_EQ(static_cast<float>(raw[0]), static_cast<float>(-raw[1]));
  // Feature 4 is noise: the least important.
  const auto imp = model->FeatureImportances();
  EXPECT_NEAR(imp[0] + imp[1] + imp[2] + imp[3] + imp[4], 1.0, 1e-12);
  EXPECT_LT(imp[4], imp[0]);
  EXPECT_NE(model->ToDebugString().find("If (feature"), std::string::npos);
}

TEST(GBTClassifierTest, SameModelForOneAndTwoThreads) {
  const DataFrame train = Synthetic(30000, 3, true), test = Synthetic(5000, 4);
  auto est = TreeEstimator::Make(TreeAlgorithm::kGBTClassifier,
                                 {{"maxIter", 8}, {"subsamplingRate", 0.7}, {"featureSubsetStrategy", "0.6"},
                                  {"weightCol", "w"}, {"maxLeaves", 12}, {"maxDepth", 6}});
  const auto a = est->Fit(train, Context::Default(1))->Transform(test, Context::Default(1));
  const auto b = est->Fit(train, Context::Default(2))->Transform(test, Context::Default(2));
  EXPECT_EQ(Doubles(a, "rawPrediction"), Doubles(b, "rawPrediction"));
}

TEST(GBTRegressorTest, SquaredAndAbsoluteLossFitAStep) {
  // y = 10 for x > 0 else 0, plus one huge outlier the absolute loss ignores.
  std::vector<float> x;
  std::vector<double> y;
  for (int i = 0; i < 200; ++i) {
    x.push_back(static_cast<float>(i - 100));
    y.push_back(i >= 100 ? 10.0 : 0.0);
  }
  y[5] = 1000;
  const DataFrame df = DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(200, 1, x), MakeColumn(y)});
  auto fit = [&](const std::string& loss) {
    auto est = TreeEstimator::Make(TreeAlgorithm::kGBTRegressor,
                                   {{"lossType", loss}, {"maxIter", 60}, {"stepSize", 0.5}, {"maxDepth", 1}});
    return Doubles(est->Fit(df, Context::Default(1))->Transform(df, Context::Default(1)), "prediction");
  };
  const auto abs = fit("absolute");
  EXPECT_NEAR(abs[150], 10.0, 1e-6);
  EXPECT_NEAR(abs[50], 0.0, 1e-6);
  const auto sq = fit("squared");
  EXPECT_NEAR(sq[150], 10.0, 0.05);
}

TEST(DecisionTreeClassifierTest, SplitsTwoClassesOnTheSeparatingFeature) {
  const DataFrame df = DataFrame::Make(
      {"features", "label"},
      {MakeDenseVectorColumn(6, 2, {1, 0, 2, 9, 3, 0, 7, 9, 8, 0, 9, 9}), MakeColumn<double>({0, 0, 0, 1, 1, 1})});
  for (const char* impurity : {"gini", "entropy"}) {
    auto est = TreeEstimator::Make(TreeAlgorithm::kDecisionTreeClassifier, {{"impurity", impurity}});
    auto model = std::dynamic_pointer_cast<const TreeClassificationModel>(est->Fit(df, Context::Default(1)));
    const Tree& t = model->ensemble().trees[0];
    ASSERT_EQ(t.num_nodes(), 3u) << impurity;
    EXPECT_EQ(t.feature[0], 0);
    EXPECT_EQ(t.threshold[0], 5.0f);  // midpoint of 3 and 7
    const DataFrame out = model->Transform(df, Context::Default(1));
    EXPECT_EQ(Doubles(out, "prediction"), Doubles(df, "label"));
    EXPECT_EQ(Doubles(out, "probability")[1], 0.0f);
  }
}

TEST(DecisionTreeRegressorTest, LeavesAreWeightedMeans) {
  const DataFrame df = DataFrame::Make({"features", "label", "w"},
                                       {MakeDenseVectorColumn(4, 1, {0, 1, 10, 11}), MakeColumn<double>({1, 3, 10, 20}),
                                        MakeColumn<double>({1, 1, 3, 1})});
  auto est = TreeEstimator::Make(TreeAlgorithm::kDecisionTreeRegressor, {{"weightCol", "w"}, {"maxDepth", 1}});
  const auto p = Doubles(est->Fit(df, Context::Default(1))->Transform(df, Context::Default(1)), "prediction");
  EXPECT_DOUBLE_EQ(p[0], 2.0);
  EXPECT_DOUBLE_EQ(p[2], (3 * 10.0 + 20.0) / 4);
}

TEST(RandomForestTest, ForestsBeatChanceAndAreThreadInvariant) {
  const DataFrame train = Synthetic(5000, 5), test = Synthetic(2000, 6);
  auto est = TreeEstimator::Make(TreeAlgorithm::kRandomForestClassifier, {{"numTrees", 10}, {"maxDepth", 6}});
  auto a = std::dynamic_pointer_cast<const TreeClassificationModel>(est->Fit(train, Context::Default(1)));
  auto b = est->Fit(train, Context::Default(2));
  EXPECT_EQ(a->num_trees(), 10);
  const DataFrame out = a->Transform(test, Context::Default(2));
  EXPECT_GT(Accuracy(out), 0.75);
  EXPECT_EQ(Doubles(out, "probability"), Doubles(b->Transform(test, Context::Default(1)), "probability"));
  auto reg = TreeEstimator::Make(TreeAlgorithm::kRandomForestRegressor,
                                 {{"numTrees", 5}, {"bootstrap", false}, {"subsamplingRate", 0.5}});
  const auto p1 = Doubles(reg->Fit(train, Context::Default(1))->Transform(test, Context::Default(1)), "prediction");
  const auto p2 = Doubles(reg->Fit(train, Context::Default(2))->Transform(test, Context::Default(2)), "prediction");
  EXPECT_EQ(p1, p2);
}

TEST(TreeStagesTest, SaveLoadGivesIdenticalPredictions) {
  TempDir dir;
  StageRegistry registry;
  RegisterTreeStages(registry);
  const DataFrame train = Synthetic(2000, 7), test = Synthetic(500, 8);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"GBTClassifier", "rawPrediction"}, {"GBTRegressor", "prediction"},
      {"RandomForestClassifier", "probability"}, {"RandomForestRegressor", "prediction"},
      {"DecisionTreeClassifier", "probability"}, {"DecisionTreeRegressor", "prediction"}};
  for (const auto& [name, column] : cases) {
    auto est = registry.Make(name, {{"maxDepth", 4}});
    auto model = dynamic_cast<const Estimator&>(*est).Fit(train, Context::Default(2));
    SaveStage(*model, dir / name);
    auto loaded = LoadStageAs<Model>(registry, dir / name);
    EXPECT_EQ(loaded->class_name(), model->class_name());
    EXPECT_EQ(Doubles(loaded->Transform(test, Context::Default(1)), column),
              Doubles(model->Transform(test, Context::Default(1)), column)) << name;
  }
}

TEST(TreeStagesTest, SingleRowPredictionEqualsTheBatchPath) {
  const DataFrame train = Synthetic(2000, 9), test = Synthetic(300, 10);
  for (TreeAlgorithm a : {TreeAlgorithm::kGBTClassifier, TreeAlgorithm::kRandomForestRegressor}) {
    auto model = TreeEstimator::Make(a, {{"maxDepth", 4}})->Fit(train, Context::Default(2));
    const TreeEnsemble& e = IsClassifier(a)
                                ? std::dynamic_pointer_cast<const TreeClassificationModel>(model)->ensemble()
                                : std::dynamic_pointer_cast<const TreeRegressionModel>(model)->ensemble();
    const Column& x = *test.column("features");
    const auto K = static_cast<size_t>(e.num_outputs);
    std::vector<double> batch(test.num_rows() * K), one(K);
    e.Predict(x, batch, Context::Default(2));
    auto values = x.values<float>();
    for (size_t i = 0; i < test.num_rows(); ++i) {
      e.PredictRow(values.subspan(i * 5, 5), one);
      for (size_t k = 0; k < K; ++k) EXPECT_DOUBLE_EQ(one[k], batch[i * K + k]) << i;
    }
  }
}

TEST(TreeStagesTest, PackedTreesFollowChangesToTheEnsemble) {
  // The packed trees are cached with the ensemble and shared by its copies;
  // a copy that drops trees must predict with its own trees (a stale cache
  // would walk the first eight of the sixteen), and so must the original
  // afterwards. Eight trees take the lockstep path of PredictRow.
  const DataFrame train = Synthetic(1000, 12), test = Synthetic(50, 13);
  auto model = TreeEstimator::Make(TreeAlgorithm::kGBTClassifier, {{"maxIter", 16}, {"maxDepth", 3}})
                   ->Fit(train, Context::Default(1));
  const TreeEnsemble& full = std::dynamic_pointer_cast<const TreeClassificationModel>(model)->ensemble();
  auto values = test.column("features")->values<float>();
  // The margin of row 0 by hand: init plus each tree's leaf value.
  auto by_hand = [&](const TreeEnsemble& e) {
    double raw = e.init[0];
    for (const Tree& t : e.trees) raw += t.value[static_cast<size_t>(LeafOfRow(t, values.data()))];
    return raw;
  };
  std::vector<double> one(1);
  ASSERT_EQ(full.trees.size(), 16u);
  full.PredictRow(values.subspan(0, 5), one);  // packs and caches the 16 trees
  EXPECT_DOUBLE_EQ(one[0], by_hand(full));
  TreeEnsemble last_eight = full;
  last_eight.trees.erase(last_eight.trees.begin(), last_eight.trees.begin() + 8);
  last_eight.tree_output.erase(last_eight.tree_output.begin(), last_eight.tree_output.begin() + 8);
  last_eight.PredictRow(values.subspan(0, 5), one);
  EXPECT_DOUBLE_EQ(one[0], by_hand(last_eight));
  std::vector<double> batch(test.num_rows());
  last_eight.Predict(*test.column("features"), batch, Context::Default(1));
  EXPECT_DOUBLE_EQ(batch[0], by_hand(last_eight));
  full.PredictRow(values.subspan(0, 5), one);
  EXPECT_DOUBLE_EQ(one[0], by_hand(full));
}

TEST(TreeStagesTest, BoostingRoundsAndForestTreesReportProgress) {
  const DataFrame train = Synthetic(500, 11);
  ProgressRecorder rec;
  TreeEstimator::Make(TreeAlgorithm::kGBTClassifier, {{"maxIter", 3}, {"maxDepth", 2}})->Fit(train, rec.ctx);
  TreeEstimator::Make(TreeAlgorithm::kRandomForestClassifier, {{"numTrees", 4}, {"maxDepth", 2}})->Fit(train, rec.ctx);
  auto find = [&](const std::string& label) -> const ProgressReport* {
    for (const ProgressReport& r : rec.tasks) {
      if (r.label == label) return &r;
    }
    return nullptr;
  };
  const ProgressReport* rounds = find("boosting");
  ASSERT_NE(rounds, nullptr);
  EXPECT_EQ(rounds->total, 3u);
  EXPECT_EQ(rounds->done, 3u);
  const ProgressReport* trees = find("trees");
  ASSERT_NE(trees, nullptr);
  EXPECT_EQ(trees->total, 4u);
  EXPECT_EQ(trees->done, 4u);
  EXPECT_EQ(trees->advances, 4u);
}

TEST(TreeStagesTest, SparseFeaturesPredictLikeDense) {
  // Rows [0, 3], [2, 0], [0, 0], [5, 1]; absent entries are 0.
  auto sparse = MakeSparseVectorColumn(2, {0, 1, 2, 2, 4}, {1, 0, 0, 1}, {3, 2, 5, 1});
  auto dense = MakeDenseVectorColumn(4, 2, {0, 3, 2, 0, 0, 0, 5, 1});
  const auto y = MakeColumn<double>({1, 2, 0, 7});
  auto est = TreeEstimator::Make(TreeAlgorithm::kDecisionTreeRegressor, {});
  const DataFrame ds = DataFrame::Make({"features", "label"}, {sparse, y});
  const DataFrame dd = DataFrame::Make({"features", "label"}, {dense, y});
  EXPECT_EQ(Doubles(est->Fit(ds, Context::Default(1))->Transform(ds, Context::Default(1)), "prediction"),
            (std::vector<double>{1, 2, 0, 7}));
  EXPECT_EQ(Doubles(est->Fit(dd, Context::Default(1))->Transform(ds, Context::Default(1)), "prediction"),
            (std::vector<double>{1, 2, 0, 7}));
}

TEST(TreeStagesTest, BadInputFailsClearly) {
  auto error_of = [](const DataFrame& df, TreeAlgorithm a, const json& params) -> std::string {
    try {
      TreeEstimator::Make(a, params)->Fit(df, Context::Default(1));
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  auto x = MakeDenseVectorColumn(3, 1, {1, 2, 3});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(error_of(DataFrame::Make({"features", "label"}, {x, MakeColumn<double>({0, nan, 1})}),
                     TreeAlgorithm::kGBTClassifier, {})
                .find("non-finite value (nan) at row 1"),
            std::string::npos);
  EXPECT_NE(error_of(DataFrame::Make({"features", "label", "w"},
                                     {x, MakeColumn<double>({0, 1, 1}), MakeColumn<double>({1, -2, 1})}),
                     TreeAlgorithm::kRandomForestRegressor, {{"weightCol", "w"}})
                .find("must be finite and >= 0; row 1 has -2"),
            std::string::npos);
  EXPECT_NE(error_of(DataFrame::Make({"features", "label"}, {x, MakeColumn<double>({0, 1, 20000})}),
                     TreeAlgorithm::kGBTClassifier, {})
                .find("row 2 has 20000"),
            std::string::npos);
  EXPECT_NE(error_of(DataFrame::Make({"features", "label"}, {x, MakeColumn<double>({0, 1.5, 1})}),
                     TreeAlgorithm::kDecisionTreeClassifier, {})
                .find("class indices"),
            std::string::npos);
  EXPECT_NE(error_of(DataFrame::Make({"features", "label"}, {x, MakeColumn<double>({0, 1, 1})}),
                     TreeAlgorithm::kRandomForestClassifier, {{"featureSubsetStrategy", "half"}})
                .find("featureSubsetStrategy 'half'"),
            std::string::npos);
  EXPECT_THROW(TreeEstimator::Make(TreeAlgorithm::kGBTClassifier, {{"maxBins", 257}}), InvalidArgument);
  EXPECT_THROW(TreeEstimator::Make(TreeAlgorithm::kGBTClassifier, {{"maxBins", 1}}), InvalidArgument);
  EXPECT_THROW(TreeEstimator::Make(TreeAlgorithm::kGBTRegressor, {{"lossType", "logistic"}}), InvalidArgument);
  EXPECT_THROW(TreeEstimator::Make(TreeAlgorithm::kGBTRegressor, {{"maxDept", 3}}), InvalidArgument);
  EXPECT_THROW(TreeEstimator::Make(TreeAlgorithm::kGBTClassifier, {})->Fit(
                   DataFrame::Make({"features", "label"}, {MakeColumn<double>({1, 2, 3}), MakeColumn<double>({0, 1, 1})}),
                   Context::Default(1)),
               SchemaError);
}

}  // namespace
}  // namespace ember
