#include "ml/linear/logistic_objective.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/random.h"

namespace ember {
namespace {

// The dense binomial pass (batched, vectorised, fast exp/log1p) against the
// sparse one (row by row, libm exp/log1p) on the same values: two separate
// implementations of one formula. 1003 rows: not a multiple of the 4-row
// groups nor of the 64-row batches, so every tail path runs.
constexpr size_t kRows = 1003;
constexpr int32_t kDim = 5;

struct Data {
  DataFrame dense, sparse;
};

Data MakeData(bool weighted) {
  std::vector<float> x(kRows * kDim);
  std::vector<double> y(kRows), w(kRows);
  std::vector<int64_t> offsets{0};
  std::vector<int32_t> indices;
  std::vector<float> values;
  Rng rng(11, 0);
  for (size_t i = 0; i < kRows; ++i) {
    for (int32_t j = 0; j < kDim; ++j) {
      // Feature 3 is zero in most rows, so the sparse rows are really sparse.
      const double v = j == 3 && rng.Uniform() < 0.7 ? 0.0 : rng.Normal() * (j + 1) + j;
      x[i * kDim + j] = static_cast<float>(v);
      if (v != 0.0) {
        indices.push_back(j);
        values.push_back(static_cast<float>(v));
      }
    }
    offsets.push_back(static_cast<int64_t>(indices.size()));
    y[i] = rng.Uniform() < 0.4 ? 1.0 : 0.0;
    w[i] = 0.25 + 2 * rng.Uniform();
  }
  std::vector<std::string> names{"features", "label"};
  std::vector<ColumnPtr> dense{MakeDenseVectorColumn(kRows, kDim, x), MakeColumn(y)};
  std::vector<ColumnPtr> sparse{MakeSparseVectorColumn(kDim, offsets, indices, values), MakeColumn(y)};
  if (weighted) {
    names.push_back("weight");
    dense.push_back(MakeColumn(w));
    sparse.push_back(MakeColumn(w));
  }
  return {DataFrame::Make(names, dense), DataFrame::Make(names, sparse)};
}

struct Evaluation {
  double value;
  std::vector<double> gradient;
};

Evaluation Evaluate(const DataFrame& frame, bool weighted, std::span<const double> theta) {
  const Context ctx = Context::Default(1);
  const Design design = MakeDesign(frame, "features", "label", weighted ? "weight" : "", "test", ctx);
  const FeatureStats stats = ComputeFeatureStats(design, ctx);
  const LogisticObjective objective(design, stats, {.l2 = 0.01}, ctx);
  Evaluation e{0, std::vector<double>(objective.num_params())};
  e.value = objective(theta, e.gradient);
  return e;
}

void ExpectDenseMatchesSparse(bool weighted, std::vector<double> theta) {
  const Data data = MakeData(weighted);
  const Evaluation dense = Evaluate(data.dense, weighted, theta);
  const Evaluation sparse = Evaluate(data.sparse, weighted, theta);
  EXPECT_NEAR(dense.value, sparse.value, 1e-12 * std::abs(sparse.value));
  double scale = 0;
  for (double g : sparse.gradient) scale = std::max(scale, std::abs(g));
  ASSERT_EQ(dense.gradient.size(), sparse.gradient.size());
  for (size_t j = 0; j < dense.gradient.size(); ++j) {
    EXPECT_NEAR(dense.gradient[j], sparse.gradient[j], 1e-12 * scale) << "parameter " << j;
  }
}

TEST(LogisticObjectiveTest, DenseBatchedPassMatchesSparsePass) {
  ExpectDenseMatchesSparse(false, {0.3, -0.2, 0.1, 0.05, -0.4, 0.2});
}

TEST(LogisticObjectiveTest, DenseBatchedPassMatchesSparsePassWithWeights) {
  ExpectDenseMatchesSparse(true, {0.3, -0.2, 0.1, 0.05, -0.4, 0.2});
}

TEST(LogisticObjectiveTest, HugeMarginsStayFinite) {
  // Standardised features reach about +-3, so margins reach the hundreds
  // and exp(-|m|) underflows: the loss must stay the exact softplus there.
  ExpectDenseMatchesSparse(true, {300, -250, 0, 0, 200, 1});
}

}  // namespace
}  // namespace ember
