// LogisticRegression and LinearRegression against scikit-learn on the shared
// datasets (golden files written by scripts/golden/linear_golden.py).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "ml/linear/linear_regression.h"
#include "ml/linear/logistic_regression.h"

namespace ember {
namespace {

struct GoldenCase {
  nlohmann::json info;
  DataFrame train, test;
};

std::string GoldenDir() { return std::string(EMBER_TEST_DATA_DIR) + "/../golden/linear/"; }

DataFrame Frame(const std::vector<float>& x, size_t first, size_t rows, int32_t dim, const nlohmann::json& labels) {
  std::vector<float> part(x.begin() + static_cast<long>(first * dim),
                          x.begin() + static_cast<long>((first + rows) * dim));
  return DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(rows, dim, part),
                                                 MakeColumn(labels.get<std::vector<double>>())});
}

GoldenCase Load(const std::string& name) {
  GoldenCase c;
  c.info = nlohmann::json::parse(ReadFileToString(GoldenDir() + name + ".json"));
  const std::string bytes = ReadFileToString(GoldenDir() + c.info["x_file"].get<std::string>());
  std::vector<float> x(bytes.size() / sizeof(float));
  std::memcpy(x.data(), bytes.data(), bytes.size());
  const auto dim = c.info["dim"].get<int32_t>();
  const auto n_train = c.info["n_train"].get<size_t>();
  c.train = Frame(x, 0, n_train, dim, c.info["y_train"]);
  c.test = Frame(x, n_train, c.info["n_test"].get<size_t>(), dim, c.info["y_test"]);
  return c;
}

/// Exact ROC AUC with ties counted half (Mann-Whitney), computed here
/// independently of ember's evaluators.
double Auc(const std::vector<double>& score, const std::vector<double>& label) {
  std::vector<size_t> order(score.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  double rank_sum = 0, pos = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) ++j;
    const double mid = 0.5 * (i + 1 + j);
    for (size_t k = i; k < j; ++k) {
      if (label[order[k]] == 1) rank_sum += mid, pos += 1;
    }
    i = j;
  }
  const double neg = static_cast<double>(score.size()) - pos;
  return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

/// Every |got_i - want_i| within `rel` of the largest |want_j|: the error
/// relative to the coefficient vector's scale (a per-coefficient relative
/// error means nothing for coefficients near zero).
void ExpectClose(const std::vector<double>& got, const std::vector<double>& want, double rel) {
  ASSERT_EQ(got.size(), want.size());
  double scale = 0;
  for (double w : want) scale = std::max(scale, std::abs(w));
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], rel * scale) << "coefficient " << i;
}

std::unique_ptr<LogisticRegression> MakeLogistic(const nlohmann::json& info) {
  ParamMap p(LogisticRegression::Params());
  p.Set("regParam", info["regParam"].get<double>());
  p.Set("elasticNetParam", info["elasticNetParam"].get<double>());
  p.Set("standardization", false);
  p.Set("tol", 0.0);  // run to machine precision: the one-hot columns make the optimum a flat valley
  p.Set("maxIter", int64_t{20000});
  return std::make_unique<LogisticRegression>(std::move(p), "lr");
}

class BinaryGoldenTest : public ::testing::TestWithParam<const char*> {};

TEST_P(BinaryGoldenTest, MatchesScikitLearn) {
  const GoldenCase c = Load(GetParam());
  for (int threads : {1, 2}) {
    auto model = std::dynamic_pointer_cast<const LogisticRegressionModel>(
        MakeLogistic(c.info)->Fit(c.train, Context::Default(threads)));
    const bool l1 = c.info["elasticNetParam"].get<double>() > 0;
    SCOPED_TRACE(model->summary().stop_reason + " after " + std::to_string(model->summary().total_iterations));
    ExpectClose(model->coefficients(), c.info["coefficients"].get<std::vector<double>>(), l1 ? 1e-3 : 1e-4);
    ExpectClose(model->intercepts(), c.info["intercepts"].get<std::vector<double>>(), l1 ? 1e-3 : 1e-4);
    if (l1) {  // the same coefficients are exactly zero
      const auto want = c.info["coefficients"].get<std::vector<double>>();
      size_t zeros = 0;
      for (size_t j = 0; j < want.size(); ++j) {
        // saga leaves ~1e-10 residue where the exact solution is 0.
        const bool want_zero = std::abs(want[j]) < 1e-6;
        zeros += want_zero;
        EXPECT_EQ(model->coefficients()[j] == 0.0, want_zero) << "coefficient " << j << " = " << want[j];
      }
      EXPECT_GT(zeros, 0u);
    }
    const DataFrame scored = model->Transform(c.test, Context::Default(threads));
    std::vector<double> p1;
    const Column& prob = *scored.column("probability");
    for (size_t i = 0; i < scored.num_rows(); ++i) p1.push_back(prob.DenseRow(i)[1]);
    EXPECT_NEAR(Auc(p1, c.info["y_test"].get<std::vector<double>>()), c.info["test_auc"].get<double>(), 1e-4);
  }
}

INSTANTIATE_TEST_SUITE_P(Datasets, BinaryGoldenTest,
                         ::testing::Values("wa_churn_l2", "credit_data_l2", "credit_data_l1"));

TEST(LogisticGoldenTest, MultinomialMatchesScikitLearn) {
  const GoldenCase c = Load("hpc_data_multinomial");
  auto model = std::dynamic_pointer_cast<const LogisticRegressionModel>(
      MakeLogistic(c.info)->Fit(c.train, Context::Default(2)));
  ASSERT_TRUE(model->multinomial());
  EXPECT_EQ(model->num_classes(), 4);
  ExpectClose(model->coefficients(), c.info["coefficients"].get<std::vector<double>>(), 1e-4);
  ExpectClose(model->intercepts(), c.info["intercepts"].get<std::vector<double>>(), 1e-4);
  const DataFrame scored = model->Transform(c.test, Context::Default(2));
  const auto pred = scored.column("prediction")->values<double>();
  const auto y = c.info["y_test"].get<std::vector<double>>();
  double correct = 0;
  for (size_t i = 0; i < y.size(); ++i) correct += pred[i] == y[i];
  EXPECT_NEAR(correct / y.size(), c.info["test_accuracy"].get<double>(), 1e-9);
}

TEST(LinearGoldenTest, RidgeAndElasticNetMatchScikitLearn) {
  for (const char* name : {"ames_ridge", "ames_elasticnet"}) {
    const GoldenCase c = Load(name);
    ParamMap p(LinearRegression::Params());
    p.Set("regParam", c.info["regParam"].get<double>());
    p.Set("elasticNetParam", c.info["elasticNetParam"].get<double>());
    p.Set("standardization", false);
    p.Set("tol", 1e-14);
    p.Set("maxIter", int64_t{50000});
    auto model = std::dynamic_pointer_cast<const LinearRegressionModel>(
        LinearRegression(std::move(p), "lin").Fit(c.train, Context::Default(2)));
    ExpectClose(model->coefficients(), c.info["coefficients"].get<std::vector<double>>(), 1e-4);
    EXPECT_NEAR(model->intercept(), c.info["intercepts"][0].get<double>(),
                1e-4 * std::abs(c.info["intercepts"][0].get<double>()));
    const DataFrame scored = model->Transform(c.test, Context::Default(2));
    const auto pred = scored.column("prediction")->values<double>();
    const auto y = c.info["y_test"].get<std::vector<double>>();
    double sse = 0;
    for (size_t i = 0; i < y.size(); ++i) sse += (pred[i] - y[i]) * (pred[i] - y[i]);
    EXPECT_NEAR(std::sqrt(sse / y.size()), c.info["test_rmse"].get<double>(), 1e-4 * c.info["test_rmse"].get<double>())
        << name;
  }
}

}  // namespace
}  // namespace ember
