// Quantised gradients by hand: power-of-two scales, unbiased stochastic
// rounding, integer histograms equal to their hand sums for any thread
// count and block split, exact subtraction, and exact leaf values.
#include "ml/tree/quantized_gradients.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/random.h"
#include "frame/column.h"
#include "ml/tree/histogram.h"
#include "ml/tree/tree_learner.h"

namespace ember {
namespace {

std::vector<uint32_t> AllRows(size_t n) {
  std::vector<uint32_t> r(n);
  for (size_t i = 0; i < n; ++i) r[i] = static_cast<uint32_t>(i);
  return r;
}

/// The decoded (g, h) of one row.
std::pair<double, double> RowValue(const QuantizedGradients& q, size_t row) {
  double gh[2];
  DecodeQuantizedSum(RowSum(q.packed[row]), q, gh);
  return {gh[0], gh[1]};
}

TEST(QuantizedGradientsTest, LevelsKeepEverySumInItsHalf) {
  EXPECT_EQ(QuantizationLevels(1000), 127);
  EXPECT_EQ(QuantizationLevels(10'000'000), 127);  // (2^31 - 1) / 1e7 = 214 allowed
  EXPECT_EQ(QuantizationLevels(20'000'000), 107);  // floor(2147483647 / 2e7)
  EXPECT_EQ(QuantizationLevels(200'000'000), 0);   // 10 levels would be too coarse
}

TEST(QuantizedGradientsTest, ValuesOnTheGridAreExact) {
  // max |g| = 0.5 over 127 levels: the smallest power of two s with
  // 0.5 / s <= 127 is 2^-7 (2^-8 would need 128 steps). max h = 0.25 over
  // 254 steps: 2^-9. Values on those grids round to themselves.
  const std::vector<float> stats{0.5f, 0.25f, -0.25f, 0.125f, 0.0f, 0.25f, -0.5f, 0.0078125f};
  QuantizedGradients q;
  QuantizeGradients(stats, 127, 7, Context::Default(1), q);
  EXPECT_EQ(q.gradient_scale, 0x1.0p-7);
  EXPECT_EQ(q.hessian_scale, 0x1.0p-9);
  for (size_t i = 0; i < 4; ++i) {
    const auto [g, h] = RowValue(q, i);
    EXPECT_EQ(g, stats[2 * i]) << i;
    EXPECT_EQ(h, stats[2 * i + 1]) << i;
  }
  EXPECT_EQ(q.packed[0], (64u << 16) | 128u);                           // g = 64 steps, h = 128 steps
  EXPECT_EQ(q.packed[3], (static_cast<uint32_t>(0xFFC0u) << 16) | 4u);  // g = -64 (two's complement), h = 4
}

TEST(QuantizedGradientsTest, RoundingIsUnbiasedSeededAndKeepsHessiansPositive) {
  // g = 0.3 is 19.2 steps of 2^-6 (max |g| = 1): 19 or 20 steps, 20 with
  // probability 0.2, so the mean is 0.3 up to sampling noise (sd of the mean
  // 2^-6 * 0.4 / sqrt(n)). h = 1e-6 is far below one step and is raised to
  // one (a child with rows must have a positive hessian).
  const size_t n = 100'000;
  std::vector<float> stats(2 * n);
  for (size_t i = 0; i < n; ++i) {
    stats[2 * i] = i == 0 ? 1.0f : 0.3f;
    stats[2 * i + 1] = i == 0 ? 0.25f : 1e-6f;
  }
  QuantizedGradients one, two, other_seed;
  QuantizeGradients(stats, 127, 3, Context::Default(1), one);
  QuantizeGradients(stats, 127, 3, Context::Default(2), two);
  QuantizeGradients(stats, 127, 4, Context::Default(2), other_seed);
  EXPECT_EQ(one.packed, two.packed);
  EXPECT_NE(one.packed, other_seed.packed);
  EXPECT_EQ(one.gradient_scale, 0x1.0p-6);
  double sum = 0;
  size_t up = 0;
  for (size_t i = 1; i < n; ++i) {
    const auto [g, h] = RowValue(one, i);
    ASSERT_TRUE(g == 19 * 0x1.0p-6 || g == 20 * 0x1.0p-6) << g;
    ASSERT_EQ(h, one.hessian_scale);
    sum += g;
    up += g > 19.5 * 0x1.0p-6 ? 1 : 0;
  }
  EXPECT_NEAR(sum / (n - 1), 0.3, 5 * 0x1.0p-6 * 0.4 / std::sqrt(static_cast<double>(n)));
  EXPECT_NEAR(static_cast<double>(up) / (n - 1), 0.2, 0.01);
}

/// Builds the quantised histograms of n rows of d features (the first
/// `narrow` of them taking only the values 0 and 1) with max_bins bins and
/// checks them against hand sums, for 1 and 2 threads and for children
/// built in one batch.
void CheckHistogramsAgainstHandSums(int d, int narrow, int max_bins, bool want_equal_slices) {
  // 70k rows: the root job is cut into three row blocks.
  const size_t n = 70'000;
  const auto ud = static_cast<size_t>(d);
  Rng rng(11, 0);
  std::vector<float> v(n * ud), stats(2 * n);
  for (size_t i = 0; i < n; ++i) {
    for (int f = 0; f < d; ++f) {
      v[i * ud + static_cast<size_t>(f)] =
          f < narrow ? static_cast<float>(rng.Below(2)) : static_cast<float>(rng.Normal());
    }
    stats[2 * i] = static_cast<float>(rng.Normal());
    stats[2 * i + 1] = static_cast<float>(rng.Uniform() * 0.25);
  }
  auto x = MakeDenseVectorColumn(n, d, v);
  const Context ctx = Context::Default(2);
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {.max_bins = max_bins}, ctx);
  // Both histogram layouts: equal slices (every feature max_bins + 1
  // slots) and packed ones (the narrow features 3 slots each).
  ASSERT_EQ(m.slot_stride(), want_equal_slices ? static_cast<uint32_t>(max_bins + 1) : 0u);
  QuantizedGradients q;
  QuantizeGradients(stats, QuantizationLevels(n), 5, ctx, q);
  // By hand: each row's integer pair added at its bin of each feature.
  const auto bins = static_cast<size_t>(m.total_bins());
  std::vector<int64_t> g_steps(bins, 0), h_steps(bins, 0);
  for (size_t r = 0; r < n; ++r) {
    const int64_t g = static_cast<int16_t>(q.packed[r] >> 16), h = q.packed[r] & 0xFFFF;
    for (int f = 0; f < d; ++f) {
      const size_t slot = static_cast<size_t>(m.bin_offset(f)) + m.bin(r, f);
      g_steps[slot] += g;
      h_steps[slot] += h;
    }
  }
  const std::vector<uint32_t> all = AllRows(n);
  std::vector<int64_t> parent(bins), serial(bins);
  HistogramScratch scratch;
  BuildQuantizedHistograms(m, q, std::vector<QuantizedHistogramJob>{{all, parent}}, scratch, ctx);
  BuildQuantizedHistograms(m, q, std::vector<QuantizedHistogramJob>{{all, serial}}, scratch, Context::Default(1));
  EXPECT_EQ(parent, serial);
  std::vector<double> decoded(2 * bins);
  DecodeQuantizedHistogram(parent, q, decoded);
  for (size_t i = 0; i < bins; ++i) {
    EXPECT_EQ(decoded[2 * i], static_cast<double>(g_steps[i]) * q.gradient_scale) << i;
    EXPECT_EQ(decoded[2 * i + 1], static_cast<double>(h_steps[i]) * q.hessian_scale) << i;
  }
  // Children in one batch (one split job, one single-block job); the
  // subtraction trick on integer sums is exact.
  const int split_feature = d - 1;
  std::vector<uint32_t> left, right;
  for (uint32_t r : all) (m.bin(r, split_feature) <= 3 ? left : right).push_back(r);
  std::vector<int64_t> left_sums(bins), right_sums(bins);
  BuildQuantizedHistograms(m, q, std::vector<QuantizedHistogramJob>{{left, left_sums}, {right, right_sums}}, scratch,
                           ctx);
  SubtractHistogram(parent, left_sums);
  EXPECT_EQ(parent, right_sums);
}

TEST(QuantizedGradientsTest, HistogramsAreTheDecodedSumsForAnyThreadsAndBlocks) {
  CheckHistogramsAgainstHandSums(3, 0, 16, true);
}

TEST(QuantizedGradientsTest, HistogramsOfEqualSlicesAddEightFeaturesAtATime) {
  // 13 features: a group of eight, a group of four, then one.
  CheckHistogramsAgainstHandSums(13, 0, 16, true);
}

TEST(QuantizedGradientsTest, HistogramsOfTheStridesWithALoopOfTheirOwnAreTheHandSums) {
  // 255 value bins and the missing bin: 256 slots a feature; Spark's
  // default 32 bins: 33 slots.
  CheckHistogramsAgainstHandSums(13, 0, kMaxValueBins, true);
  CheckHistogramsAgainstHandSums(13, 0, 32, true);
}

TEST(QuantizedGradientsTest, HistogramsOfPackedSlicesReadTheOffsets) {
  // Six two-valued features: equal slices would waste 6 x 14 of 11 x 17 slots.
  CheckHistogramsAgainstHandSums(11, 6, 16, false);
}

TEST(QuantizedGradientsTest, LeafValuesComeFromTheFloatStatistics) {
  // y = 1 when x > 2 else 0, as squared-loss statistics g = -y, h = 1 with
  // a 1/3 added to every gradient (off the quantisation grid). The split is
  // the same; the leaves are -G / (H + lambda) of the float sums.
  auto x = MakeDenseVectorColumn(6, 1, {0, 1, 2, 3, 4, 5});
  std::vector<float> stats;
  for (int i = 0; i < 6; ++i) stats.insert(stats.end(), {static_cast<float>((i > 2 ? -1.0 : 0.0) + 1.0 / 3), 1.0f});
  const BinnedMatrix m = BinnedMatrix::Build(*x, {}, {}, Context::Default(1));
  QuantizedGradients q;
  QuantizeGradients(stats, 127, 1, Context::Default(1), q);
  TreeLearnerScratch s;
  GrowOptions o;
  o.unit_rows = true;
  o.max_depth = 1;
  o.constraints.lambda = 1.0;
  const GrownTree g = GrowTree(m, stats, AllRows(6), o, s, Context::Default(1), &q);
  const Tree& t = g.tree;
  ASSERT_EQ(t.num_nodes(), 3u);
  EXPECT_EQ(t.threshold[0], 2.5f);
  const double third = static_cast<double>(static_cast<float>(1.0 / 3));
  const double minus_two_thirds = static_cast<double>(static_cast<float>(-1.0 + 1.0 / 3));
  EXPECT_DOUBLE_EQ(t.value[static_cast<size_t>(t.left[0])], -(3 * third) / (3 + 1.0));
  EXPECT_DOUBLE_EQ(t.value[static_cast<size_t>(t.right[0])], -(3 * minus_two_thirds) / (3 + 1.0));
}

}  // namespace
}  // namespace ember
