// The histogram engine on hand-computable inputs: binning, histograms and
// the subtraction trick, split finding with missing values, constraints,
// growth modes and thread-count invariance.
#include "ml/tree/tree_learner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/random.h"

namespace ember {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

/// Newton statistics [g, h, w, n] for squared loss from a zero prediction:
/// g = -y, h = 1, so leaves are label means (lambda = 0).
std::vector<float> SquaredStats(const std::vector<double>& y) {
  std::vector<float> s;
  for (double v : y) s.insert(s.end(), {static_cast<float>(-v), 1.0f, 1.0f, 1.0f});
  return s;
}

/// The same statistics in the two-channel unit-row layout [g, h].
std::vector<float> UnitRowStats(const std::vector<double>& y) {
  std::vector<float> s;
  for (double v : y) s.insert(s.end(), {static_cast<float>(-v), 1.0f});
  return s;
}

std::vector<uint32_t> AllRows(size_t n) {
  std::vector<uint32_t> r(n);
  for (size_t i = 0; i < n; ++i) r[i] = static_cast<uint32_t>(i);
  return r;
}

TEST(BinningTest, FewDistinctValuesGetOneBinEachWithMidpointCuts) {
  auto x = MakeDenseVectorColumn(6, 1, {1, 2, 2, 3, kNaN, 1});
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {.max_bins = 32}, Context::Default(1));
  ASSERT_EQ(m.cuts().cuts[0], (std::vector<float>{1.5f, 2.5f}));
  EXPECT_EQ(m.cuts().missing_bin(0), 3);
  const std::vector<int> want{0, 1, 1, 2, 3, 0};
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(m.bin(i, 0), want[i]) << i;
  EXPECT_EQ(m.total_bins(), 4u);
}

TEST(BinningTest, LargeShuffledSamplesGetTheSameCutsAsSmallOnes) {
  // Past 4096 values the cut computation sorts by radix over the floats'
  // bits: negative values, -0.0 beside +0.0, duplicates and a shuffled order
  // must give the cuts computed by hand.
  const size_t n = 20000;
  std::vector<float> v(2 * n);
  Rng rng(7, 0);
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  for (size_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng.Below(i + 1)]);
  for (size_t i = 0; i < n; ++i) {
    const size_t k = order[i];
    // Feature 0: the integers -50..49, 200 times each (0 as -0.0 half the time).
    const int code = static_cast<int>(k % 100) - 50;
    v[2 * i] = code == 0 && k % 200 < 100 ? -0.0f : static_cast<float>(code);
    // Feature 1: -10000..9999, each once.
    v[2 * i + 1] = static_cast<float>(static_cast<int>(k) - 10000);
  }
  auto x = MakeDenseVectorColumn(n, 2, v);
  const BinCuts cuts = ComputeBinCuts(*x, {}, {.max_bins = 128}, Context::Default(2));
  std::vector<float> want;
  for (int c = -50; c < 49; ++c) want.push_back(static_cast<float>(c) + 0.5f);
  EXPECT_EQ(cuts.cuts[0], want);
  const BinCuts quartiles = ComputeBinCuts(*x, {}, {.max_bins = 4}, Context::Default(2));
  EXPECT_EQ(quartiles.cuts[1], (std::vector<float>{-5000.5f, -0.5f, 4999.5f}));
}

TEST(BinningTest, ManyValuesGetWeightedQuantiles) {
  std::vector<float> v;
  for (int i = 0; i < 100; ++i) v.push_back(static_cast<float>(i));
  auto x = MakeDenseVectorColumn(100, 1, v);
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {.max_bins = 4}, Context::Default(1));
  // Quartiles of 0..99: cuts after 24, 49, 74.
  EXPECT_EQ(m.cuts().cuts[0], (std::vector<float>{24.5f, 49.5f, 74.5f}));
  // Weight 3 on the first half moves the cuts down: total 200, steps of 50.
  std::vector<double> w(100, 1.0);
  for (int i = 0; i < 50; ++i) w[static_cast<size_t>(i)] = 3.0;
  const BinnedMatrix mw = BinnedMatrix::Build(*x, w, {.max_bins = 4}, Context::Default(1));
  EXPECT_EQ(mw.cuts().cuts[0], (std::vector<float>{16.5f, 33.5f, 49.5f}));
}

TEST(BinningTest, EveryValueGetsTheCountOfCutsBelowIt) {
  // Both binning paths (compares for up to 64 cuts, a search above), with
  // values on the cuts, infinities and NaN: the bin is the number of cuts
  // below the value, counted here one by one.
  const size_t n = 3000;
  Rng rng(5, 0);
  std::vector<float> v(n * 2);
  for (size_t i = 0; i < n; ++i) {
    v[2 * i] = static_cast<float>(rng.Normal());
    v[2 * i + 1] = static_cast<float>(std::floor(rng.Uniform() * 40));  // 40 distinct values
  }
  v[0] = kNaN;
  v[2] = std::numeric_limits<float>::infinity();
  v[4] = -std::numeric_limits<float>::infinity();
  auto x = MakeDenseVectorColumn(n, 2, v);
  for (int max_bins : {4, 16, 32, 64, 65, 255}) {
    const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {.max_bins = max_bins}, Context::Default(2));
    for (int f = 0; f < 2; ++f) {
      const std::vector<float>& cuts = m.cuts().cuts[static_cast<size_t>(f)];
      for (size_t i = 0; i < n; ++i) {
        const float value = v[i * 2 + static_cast<size_t>(f)];
        int below = 0;
        for (float c : cuts) below += c < value ? 1 : 0;
        const int expected = std::isnan(value) ? m.cuts().missing_bin(f) : below;
        ASSERT_EQ(m.bin(i, f), expected) << "maxBins " << max_bins << " feature " << f << " row " << i;
      }
    }
  }
}

TEST(BinningTest, SparseRowsBinTheirImplicitZeros) {
  // Rows: [0, 5], [2, 0], [0, 0].
  auto x = MakeSparseVectorColumn(2, {0, 1, 2, 2}, {1, 0}, {5, 2});
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {.feature_major_copy = true}, Context::Default(1));
  EXPECT_EQ(m.cuts().cuts[0], (std::vector<float>{1.0f}));
  EXPECT_EQ(m.cuts().cuts[1], (std::vector<float>{2.5f}));
  EXPECT_EQ(m.bin(0, 0), 0);
  EXPECT_EQ(m.bin(0, 1), 1);
  EXPECT_EQ(m.bin(1, 0), 1);
  EXPECT_EQ(m.bin(2, 1), 0);
  // The feature-major copy holds the same bins, by hand.
  EXPECT_EQ(std::vector<uint8_t>(m.column(0), m.column(0) + 3), (std::vector<uint8_t>{0, 1, 0}));
  EXPECT_EQ(std::vector<uint8_t>(m.column(1), m.column(1) + 3), (std::vector<uint8_t>{1, 0, 0}));
}

TEST(BinningTest, ColumnsHoldTheRowMajorBinsFeatureByFeature) {
  // Dense 3 x 2 with a NaN (the missing bin): column f, row i == bin(i, f).
  auto x = MakeDenseVectorColumn(3, 2, {0.0f, 7.0f, 1.0f, kNaN, 2.0f, 7.0f});
  EXPECT_FALSE(BinnedMatrix::Build(*x, {}, {}, Context::Default(1)).has_columns());
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {.feature_major_copy = true}, Context::Default(1));
  ASSERT_TRUE(m.has_columns());
  EXPECT_EQ(std::vector<uint8_t>(m.column(0), m.column(0) + 3), (std::vector<uint8_t>{0, 1, 2}));
  const auto missing = static_cast<uint8_t>(m.cuts().missing_bin(1));
  EXPECT_EQ(std::vector<uint8_t>(m.column(1), m.column(1) + 3), (std::vector<uint8_t>{0, missing, 0}));
}

TEST(HistogramTest, SubtractionGivesTheDirectHistogram) {
  const size_t n = 20000;
  Rng rng(7, 0);
  std::vector<float> v(n * 3);
  std::vector<float> stats;
  for (size_t i = 0; i < n; ++i) {
    for (int f = 0; f < 3; ++f) v[i * 3 + f] = rng.Uniform() < 0.05 ? kNaN : static_cast<float>(rng.Normal());
    stats.insert(stats.end(), {static_cast<float>(rng.Normal()), static_cast<float>(rng.Uniform()), 1.0f, 1.0f});
  }
  auto x = MakeDenseVectorColumn(n, 3, v);
  const Context ctx = Context::Default(2);
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {.max_bins = 16}, ctx);
  std::vector<uint32_t> all = AllRows(n), left, right;
  for (uint32_t r : all) (m.bin(r, 1) <= 7 ? left : right).push_back(r);
  const size_t size = m.total_bins() * 4;
  std::vector<double> parent(size), direct_left(size), direct_right(size);
  HistogramScratch scratch;
  BuildHistogram(m, stats, 4, all, parent, scratch, ctx);
  BuildHistogram(m, stats, 4, left, direct_left, scratch, ctx);
  BuildHistogram(m, stats, 4, right, direct_right, scratch, ctx);
  SubtractHistogram(parent, direct_left);
  for (size_t j = 0; j < size; ++j) {
    if (j % 4 == 3) {
      EXPECT_EQ(parent[j], direct_right[j]) << j;  // counts are exact
    } else {
      EXPECT_NEAR(parent[j], direct_right[j], 1e-9) << j;
    }
  }
  // The parallel build equals the one-thread build bit for bit.
  std::vector<double> one(size);
  BuildHistogram(m, stats, 4, all, one, scratch, Context::Default(1));
  std::vector<double> two(size);
  BuildHistogram(m, stats, 4, all, two, scratch, ctx);
  EXPECT_EQ(one, two);
  // Several jobs in one pass give each job's own histogram.
  std::vector<double> batch_left(size), batch_right(size);
  const std::vector<HistogramJob> jobs{{left, batch_left}, {right, batch_right}};
  BuildHistograms(m, stats, 4, jobs, scratch, ctx);
  std::vector<double> alone_left(size);
  BuildHistogram(m, stats, 4, left, alone_left, scratch, Context::Default(1));
  EXPECT_EQ(batch_left, alone_left);
  EXPECT_EQ(batch_right, direct_right);
}

TEST(TreeLearnerTest, SingleSplitOnASeparableFeature) {
  // Feature 0 is noise-free: y = 1 when x0 > 2; feature 1 is constant.
  auto x = MakeDenseVectorColumn(6, 2, {0, 7, 1, 7, 2, 7, 3, 7, 4, 7, 5, 7});
  const std::vector<double> y{0, 0, 0, 1, 1, 1};
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {}, Context::Default(1));
  TreeLearnerScratch s;
  GrowOptions o;
  o.max_depth = 3;
  const GrownTree g = GrowTree(m, SquaredStats(y), AllRows(6), o, s, Context::Default(1));
  const Tree& t = g.tree;
  ASSERT_EQ(t.num_nodes(), 3u);  // pure children do not split again
  EXPECT_EQ(t.feature[0], 0);
  EXPECT_EQ(t.threshold[0], 2.5f);
  EXPECT_DOUBLE_EQ(t.value[static_cast<size_t>(t.left[0])], 0.0);
  EXPECT_DOUBLE_EQ(t.value[static_cast<size_t>(t.right[0])], 1.0);
  // Loss reduction G_L^2/H_L + G_R^2/H_R - G^2/H = 0 + 9/3 - 9/6 = 1.5.
  EXPECT_DOUBLE_EQ(t.gain[0], 1.5);
  ASSERT_EQ(g.leaves.size(), 2u);
}

TEST(TreeLearnerTest, MissingValuesLearnTheirDirection) {
  // NaN rows have label 1 like the large values: they should go right.
  auto x = MakeDenseVectorColumn(6, 1, {0, 1, 2, 3, kNaN, kNaN});
  const std::vector<double> y{0, 0, 0, 1, 1, 1};
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {}, Context::Default(1));
  TreeLearnerScratch s;
  GrowOptions o;
  o.max_depth = 1;
  const Tree t = GrowTree(m, SquaredStats(y), AllRows(6), o, s, Context::Default(1)).tree;
  EXPECT_EQ(t.threshold[0], 2.5f);
  EXPECT_EQ(t.default_left[0], 0);
  EXPECT_DOUBLE_EQ(t.value[static_cast<size_t>(t.right[0])], 1.0);
  const float nan_row[1] = {kNaN};
  EXPECT_EQ(LeafOfRow(t, nan_row), t.right[0]);
  // Flip the labels of the NaN rows: now they belong left.
  const Tree t2 = GrowTree(m, SquaredStats({0, 0, 0, 1, 0, 0}), AllRows(6), o, s, Context::Default(1)).tree;
  EXPECT_EQ(t2.threshold[0], 2.5f);
  EXPECT_EQ(t2.default_left[0], 1);
  EXPECT_EQ(LeafOfRow(t2, nan_row), t2.left[0]);
}

TEST(TreeLearnerTest, ConstraintsBlockSplits) {
  auto x = MakeDenseVectorColumn(6, 1, {0, 1, 2, 3, 4, 5});
  const std::vector<double> y{0, 0, 0, 0, 0, 1};
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {}, Context::Default(1));
  TreeLearnerScratch s;
  GrowOptions o;
  o.max_depth = 1;
  EXPECT_EQ(GrowTree(m, SquaredStats(y), AllRows(6), o, s, Context::Default(1)).tree.threshold[0], 4.5f);
  o.constraints.min_instances = 2;  // the lone 1 cannot be its own leaf
  EXPECT_EQ(GrowTree(m, SquaredStats(y), AllRows(6), o, s, Context::Default(1)).tree.threshold[0], 3.5f);
  o.constraints.min_child_weight = 3;
  EXPECT_EQ(GrowTree(m, SquaredStats(y), AllRows(6), o, s, Context::Default(1)).tree.threshold[0], 2.5f);
  // Normalised gain of the 3/3 split: (0 + 1/3 - 1/6) / 6 = 1/36.
  o.constraints.min_info_gain = 1.0 / 36 + 1e-9;
  EXPECT_EQ(GrowTree(m, SquaredStats(y), AllRows(6), o, s, Context::Default(1)).tree.num_nodes(), 1u);
  // lambda shrinks the leaf: -G / (H + lambda) = 1 / (6 + 2).
  o.constraints = {.lambda = 2};
  o.max_depth = 0;
  EXPECT_DOUBLE_EQ(GrowTree(m, SquaredStats(y), AllRows(6), o, s, Context::Default(1)).tree.value[0], 0.125);
}

TEST(TreeLearnerTest, GiniSplitsClassWeights) {
  auto x = MakeDenseVectorColumn(4, 1, {0, 1, 2, 3});
  // Class weights per row [w0, w1, w, n].
  const std::vector<float> stats{1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1};
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {}, Context::Default(1));
  TreeLearnerScratch s;
  GrowOptions o{.criterion = Criterion::kGini, .num_classes = 2};
  const Tree t = GrowTree(m, stats, AllRows(4), o, s, Context::Default(1)).tree;
  EXPECT_EQ(t.threshold[0], 1.5f);
  // Weighted gini of the root is 4 * 0.5 = 2; the children are pure.
  EXPECT_DOUBLE_EQ(t.gain[0], 2.0);
  EXPECT_DOUBLE_EQ(t.value[static_cast<size_t>(t.left[0]) * 2], 1.0);
  EXPECT_DOUBLE_EQ(t.value[static_cast<size_t>(t.right[0]) * 2 + 1], 1.0);
}

TEST(TreeLearnerTest, LeafWiseStopsAtMaxLeavesAndSplitsTheBestLeafFirst) {
  const size_t n = 400;
  std::vector<float> v;
  std::vector<double> y;
  for (size_t i = 0; i < n; ++i) {
    v.push_back(static_cast<float>(i));
    // A big step at 200 and a small step at 300.
    y.push_back(i < 200 ? 0.0 : (i < 300 ? 10.0 : 11.0));
  }
  auto x = MakeDenseVectorColumn(n, 1, v);
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {.max_bins = 255}, Context::Default(1));
  TreeLearnerScratch s;
  GrowOptions o;
  o.max_depth = 10;
  o.max_leaves = 3;
  const GrownTree g = GrowTree(m, SquaredStats(y), AllRows(n), o, s, Context::Default(1));
  EXPECT_EQ(g.leaves.size(), 3u);
  EXPECT_EQ(g.tree.num_nodes(), 5u);
  const float probe[3] = {100, 250, 350};
  EXPECT_NEAR(g.tree.value[static_cast<size_t>(LeafOfRow(g.tree, &probe[0]))], 0.0, 1e-12);
  EXPECT_NEAR(g.tree.value[static_cast<size_t>(LeafOfRow(g.tree, &probe[1]))], 10.0, 0.3);
  EXPECT_NEAR(g.tree.value[static_cast<size_t>(LeafOfRow(g.tree, &probe[2]))], 11.0, 0.3);
}

TEST(TreeLearnerTest, SameTreeForOneAndTwoThreadsWithOrWithoutColumns) {
  const size_t n = 150000;
  Rng rng(3, 0);
  std::vector<float> v(n * 4);
  std::vector<double> y(n);
  for (size_t i = 0; i < n; ++i) {
    for (int f = 0; f < 4; ++f) v[i * 4 + f] = static_cast<float>(rng.Normal());
    y[i] = std::sin(v[i * 4]) + v[i * 4 + 1] * v[i * 4 + 2] + 0.1 * rng.Normal();
  }
  auto x = MakeDenseVectorColumn(n, 4, v);
  GrowOptions o;
  o.max_depth = 6;
  o.features_per_node = 3;
  // Two threads also partition from the feature-major copy of the bins.
  auto grow = [&](int threads) {
    const Context ctx = Context::Default(threads);
    const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {.feature_major_copy = threads > 1}, ctx);
    TreeLearnerScratch s;
    return GrowTree(m, SquaredStats(y), AllRows(n), o, s, ctx);
  };
  const GrownTree a = grow(1), b = grow(2);
  EXPECT_EQ(a.tree.feature, b.tree.feature);
  EXPECT_EQ(a.tree.threshold, b.tree.threshold);
  EXPECT_EQ(a.tree.value, b.tree.value);
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_GT(a.tree.num_nodes(), 100u);
  // Leaf-wise growth too.
  o.max_leaves = 20;
  const GrownTree c = grow(1), d = grow(2);
  EXPECT_EQ(c.leaves.size(), 20u);
  EXPECT_EQ(c.tree.feature, d.tree.feature);
  EXPECT_EQ(c.tree.value, d.tree.value);
}

TEST(TreeLearnerTest, UnitRowLayoutGrowsTheSameTreeAsTheFullLayout) {
  // With unit weights, [g, h] per row carries everything [g, h, w, n] does.
  // Feature 1 has no missing values (the unit-row scan's vectorised path).
  const size_t n = 40000;
  Rng rng(5, 0);
  std::vector<float> v(n * 3);
  std::vector<double> y(n);
  for (size_t i = 0; i < n; ++i) {
    for (int f = 0; f < 3; ++f) {
      v[i * 3 + f] = f != 1 && rng.Uniform() < 0.1 ? kNaN : static_cast<float>(rng.Normal());
    }
    auto value = [&](int f, double fill) { return std::isnan(v[i * 3 + f]) ? fill : v[i * 3 + f]; };
    y[i] = value(0, 2.0) + 0.5 * value(1, 0.0) + 0.1 * rng.Normal();
  }
  auto x = MakeDenseVectorColumn(n, 3, v);
  const Context ctx = Context::Default(2);
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {.max_bins = 64}, ctx);
  GrowOptions o;
  o.max_depth = 5;
  o.constraints.lambda = 1;
  o.constraints.min_child_weight = 400;
  TreeLearnerScratch s;
  const GrownTree full = GrowTree(m, SquaredStats(y), AllRows(n), o, s, ctx);
  o.unit_rows = true;
  const GrownTree unit = GrowTree(m, UnitRowStats(y), AllRows(n), o, s, ctx);
  EXPECT_EQ(full.tree.feature, unit.tree.feature);
  EXPECT_EQ(full.tree.bin, unit.tree.bin);
  EXPECT_EQ(full.tree.default_left, unit.tree.default_left);
  EXPECT_EQ(full.tree.weight, unit.tree.weight);
  ASSERT_EQ(full.tree.value.size(), unit.tree.value.size());
  for (size_t i = 0; i < full.tree.value.size(); ++i) EXPECT_NEAR(full.tree.value[i], unit.tree.value[i], 1e-9);
  // Unit rows cannot check count constraints: asking for one is an error.
  o.constraints.min_instances = 5;
  EXPECT_THROW(GrowTree(m, UnitRowStats(y), AllRows(n), o, s, ctx), std::exception);
}

}  // namespace
}  // namespace ember
