// GBTClassifier against scikit-learn's HistGradientBoostingClassifier on the
// shared datasets (golden files written by scripts/golden/tree_golden.py):
// ember's test AUC must be at least sklearn's minus 0.01.
#include <algorithm>
#include <cstring>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "ml/tree/tree_estimator.h"

namespace ember {
namespace {

std::string GoldenDir() { return std::string(EMBER_TEST_DATA_DIR) + "/../golden/tree/"; }

DataFrame Frame(const std::vector<float>& x, size_t first, size_t rows, int32_t dim, const nlohmann::json& labels) {
  std::vector<float> part(x.begin() + static_cast<long>(first * dim),
                          x.begin() + static_cast<long>((first + rows) * dim));
  return DataFrame::Make({"features", "label"}, {MakeDenseVectorColumn(rows, dim, part),
                                                 MakeColumn(labels.get<std::vector<double>>())});
}

/// Exact ROC AUC with ties counted half (Mann-Whitney), independent of ember.
double Auc(const std::vector<double>& score, const std::vector<double>& label) {
  std::vector<size_t> order(score.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  double rank_sum = 0, pos = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) ++j;
    const double mid = 0.5 * static_cast<double>(i + 1 + j);
    for (size_t k = i; k < j; ++k) {
      if (label[order[k]] == 1) rank_sum += mid, pos += 1;
    }
    i = j;
  }
  const double neg = static_cast<double>(score.size()) - pos;
  return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

void CheckDataset(const std::string& name) {
  const auto info = nlohmann::json::parse(ReadFileToString(GoldenDir() + name + ".json"));
  const std::string bytes = ReadFileToString(GoldenDir() + info["x_file"].get<std::string>());
  std::vector<float> x(bytes.size() / sizeof(float));
  std::memcpy(x.data(), bytes.data(), bytes.size());
  const auto dim = info["dim"].get<int32_t>();
  const auto n_train = info["n_train"].get<size_t>();
  const DataFrame train = Frame(x, 0, n_train, dim, info["y_train"]);
  const DataFrame test = Frame(x, n_train, info["n_test"].get<size_t>(), dim, info["y_test"]);
  auto est = TreeEstimator::Make(TreeAlgorithm::kGBTClassifier,
                                 {{"maxIter", 100}, {"maxDepth", 6}, {"stepSize", 0.1}, {"minInstancesPerNode", 20}});
  const DataFrame out = est->Fit(train, Context::Default(2))->Transform(test, Context::Default(2));
  const auto prob = out.column("probability")->values<float>();
  std::vector<double> p1;
  for (size_t i = 1; i < prob.size(); i += 2) p1.push_back(prob[i]);
  const double auc = Auc(p1, info["y_test"].get<std::vector<double>>());
  const double sklearn = info["sklearn_test_auc"].get<double>();
  std::printf("%s: ember GBT test AUC %.4f, sklearn HistGradientBoosting %.4f\n", name.c_str(), auc, sklearn);
  EXPECT_GE(auc, sklearn - 0.01) << name;
}

TEST(TreeGoldenTest, CreditDataAucMatchesSklearn) { CheckDataset("credit_data"); }
TEST(TreeGoldenTest, WaChurnAucMatchesSklearn) { CheckDataset("wa_churn"); }

}  // namespace
}  // namespace ember
