#include "ml/linear/logistic_regression.h"

#include <cmath>
#include <cstring>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/random.h"
#include "ml/pipeline/persistence.h"

namespace ember {
namespace {

/// 2000 rows, 3 features; labels from a known logistic model.
DataFrame Synthetic(size_t rows = 2000, uint64_t seed = 3) {
  std::vector<float> x(rows * 3);
  std::vector<double> y(rows);
  Rng rng(seed, 0);
  for (size_t i = 0; i < rows; ++i) {
    for (int j = 0; j < 3; ++j) x[i * 3 + j] = static_cast<float>(rng.Normal());
    const double z = 0.5 + 1.5 * x[i * 3] - 1.0 * x[i * 3 + 1];
    y[i] = rng.Uniform() < 1 / (1 + std::exp(-z)) ? 1 : 0;
  }
  return DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(rows, 3, x), MakeColumn(y)});
}

std::shared_ptr<const LogisticRegressionModel> Fit(const DataFrame& df, const nlohmann::json& params = {},
                                                   int threads = 1) {
  ParamMap p(LogisticRegression::Params());
  if (!params.is_null()) p.SetFromJson(params);
  return std::dynamic_pointer_cast<const LogisticRegressionModel>(
      LogisticRegression(std::move(p), "lr").Fit(df, Context::Default(threads)));
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(LogisticRegressionTest, RecoversTheGeneratingModel) {
  auto m = Fit(Synthetic(20000));
  EXPECT_NEAR(m->coefficients()[0], 1.5, 0.1);
  EXPECT_NEAR(m->coefficients()[1], -1.0, 0.1);
  EXPECT_NEAR(m->coefficients()[2], 0.0, 0.1);
  EXPECT_NEAR(m->intercepts()[0], 0.5, 0.1);
  EXPECT_TRUE(m->summary().converged);
  const auto& h = m->summary().objective_history;
  for (size_t i = 1; i < h.size(); ++i) EXPECT_LE(h[i], h[i - 1]);
}

TEST(LogisticRegressionTest, IdenticalCoefficientsForOneAndTwoThreads) {
  const DataFrame df = Synthetic(50000);  // several row blocks
  auto a = Fit(df, {}, 1);
  auto b = Fit(df, {}, 2);
  EXPECT_EQ(a->coefficients(), b->coefficients());  // bit-identical
  EXPECT_EQ(a->intercepts(), b->intercepts());
}

TEST(LogisticRegressionTest, TrainingSummaryAucMatchesPredictions) {
  const DataFrame df = Synthetic();
  auto m = Fit(df);
  const DataFrame scored = m->Transform(df, Context::Default(1));
  // Independent AUC: the fraction of (positive, negative) pairs ranked right.
  const Column& prob = *scored.column("probability");
  const auto y = df.column("label")->values<double>();
  std::vector<double> pos, neg;
  for (size_t i = 0; i < y.size(); ++i) (y[i] == 1 ? pos : neg).push_back(prob.DenseRow(i)[1]);
  double right = 0;
  for (double p : pos) {
    for (double n : neg) right += p > n ? 1.0 : (p == n ? 0.5 : 0.0);
  }
  EXPECT_NEAR(m->summary().area_under_roc, right / (pos.size() * neg.size()), 1e-6);
  EXPECT_GT(m->summary().area_under_pr, 0.5);
}

TEST(LogisticRegressionTest, OutputsFollowSpark) {
  const DataFrame df = Synthetic(200);
  auto m = Fit(df, {{"threshold", 0.9}});
  const DataFrame s = m->Transform(df, Context::Default(1));
  const Column& raw = *s.column("rawPrediction");
  const Column& prob = *s.column("probability");
  const auto pred = s.column("prediction")->values<double>();
  for (size_t i = 0; i < s.num_rows(); ++i) {
    EXPECT_FLOAT_EQ(raw.DenseRow(i)[0], -raw.DenseRow(i)[1]);
    EXPECT_NEAR(prob.DenseRow(i)[0] + prob.DenseRow(i)[1], 1.0, 1e-6);
    EXPECT_EQ(pred[i], prob.DenseRow(i)[1] > 0.9 ? 1.0 : 0.0);
  }
}

TEST(LogisticRegressionTest, BadLabelsAndFeaturesAreClearErrors) {
  auto frame = [](std::vector<double> y, std::vector<float> x) {
    return DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(y.size(), 1, x), MakeColumn(y)});
  };
  EXPECT_EQ(ErrorOf([&] { Fit(frame({0, 1, 0.5}, {1, 2, 3})); }),
            "LogisticRegression: labels must be class indices 0, 1, ...; row 2 has 0.5");
  EXPECT_EQ(ErrorOf([&] { Fit(frame({0, 1, 2}, {1, 2, 3}), {{"family", "binomial"}}); }),
            "LogisticRegression: family 'binomial' needs labels in {0, 1}, found label 2; use family 'multinomial'");
  EXPECT_EQ(ErrorOf([&] { Fit(frame({1, 1, 1}, {1, 2, 3})); }),
            "LogisticRegression: every training label is 1; a classifier needs at least two classes");
  EXPECT_EQ(ErrorOf([&] { Fit(frame({0, 1, 1}, {1, NAN, 3})); }),
            "LogisticRegression: features column 'features' has a NaN or infinite value in row 1; impute it first "
            "(Imputer) or drop the row");
  auto text = DataFrame::Make({"features", "label"}, {MakeStringColumn({"a"}), MakeColumn<double>({1})});
  EXPECT_EQ(ErrorOf([&] { Fit(text); }),
            "LogisticRegression: featuresCol 'features' must be a vector column (use VectorAssembler), got string");
}

TEST(LogisticRegressionTest, ConstantFeatureGetsZeroCoefficient) {
  DataFrame df = Synthetic(500);
  std::vector<float> x;
  const Column& f = *df.column("features");
  for (size_t i = 0; i < df.num_rows(); ++i) {
    x.push_back(f.DenseRow(i)[0]);
    x.push_back(7.0f);  // zero variance
  }
  df = df.WithColumn("features", MakeDenseVectorColumn(df.num_rows(), 2, x));
  auto m = Fit(df);
  EXPECT_EQ(m->coefficients()[1], 0.0);
  EXPECT_NEAR(m->coefficients()[0], 1.5, 0.3);
}

TEST(LogisticRegressionTest, MoreFeaturesThanRowsFitsWithRegularisation) {
  std::vector<float> x(10 * 50);
  Rng rng(1, 1);
  for (float& v : x) v = static_cast<float>(rng.Normal());
  const DataFrame df = DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(10, 50, x),
                                                               MakeColumn<double>({0, 1, 0, 1, 0, 1, 0, 1, 0, 1})});
  auto m = Fit(df, {{"regParam", 0.1}});
  EXPECT_TRUE(m->summary().converged);
  for (double c : m->coefficients()) EXPECT_TRUE(std::isfinite(c));
}

TEST(LogisticRegressionTest, SaveLoadGivesIdenticalPredictions) {
  const DataFrame df = Synthetic(300);
  auto m = Fit(df, {{"family", "multinomial"}});
  const std::string dir = std::filesystem::temp_directory_path() / ("ember-lr-" + std::to_string(::getpid()));
  SaveStage(*m, dir, SaveMode::kOverwrite);
  StageRegistry r;
  RegisterLogisticRegression(r);
  auto loaded = LoadStageAs<LogisticRegressionModel>(r, dir);
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(loaded->multinomial());
  EXPECT_EQ(loaded->coefficients(), m->coefficients());
  const auto a = m->Transform(df, Context::Default(1)).column("probability");
  const auto b = loaded->Transform(df, Context::Default(1)).column("probability");
  EXPECT_EQ(std::memcmp(a->buffers().values->data(), b->buffers().values->data(), a->buffers().values->size()), 0);
}

}  // namespace
}  // namespace ember
