#include "ml/tree/complete_tree.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace ember {
namespace {

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

/// Turns leaf `node` into a split on `feature` at `threshold`; returns its
/// new children {left, right}, leaves valued 10 * their index.
std::pair<int, int> Split(Tree& t, int node, int feature, float threshold, bool nan_left) {
  const double lv = 10.0 * static_cast<double>(t.num_nodes());
  const int l = t.AddLeaf(&lv, 1.0);
  const double rv = 10.0 * static_cast<double>(t.num_nodes());
  const int r = t.AddLeaf(&rv, 1.0);
  const auto u = static_cast<size_t>(node);
  t.feature[u] = feature;
  t.threshold[u] = threshold;
  t.default_left[u] = nan_left ? 1 : 0;
  t.left[u] = l;
  t.right[u] = r;
  return {l, r};
}

Tree Root() {
  Tree t;
  const double v = 0;
  t.AddLeaf(&v, 1.0);
  return t;
}

/// Leaves of `rows` rows of d features through the block.
std::vector<int32_t> Leaves(const CompleteTree& c, const std::vector<float>& x, size_t d) {
  const size_t rows = x.size() / d;
  std::vector<int32_t> leaf(rows);
  std::vector<int32_t> block;
  for (size_t b = 0; b < rows; b += kCompleteBlockRows) {
    const size_t m = std::min(kCompleteBlockRows, rows - b);
    FillCompleteTreeBlock(x.data() + b * d, d, m, block);
    CompleteTreeLeaves(c, block.data(), m, leaf.data() + b);
  }
  return leaf;
}

TEST(CompleteTreeTest, PadsShallowLeavesAndKeepsEachSplitsNanSide) {
  // Node 0: x0 <= 0.5 (NaN right) -> leaf 1 | node 2: x1 <= -1 (NaN left)
  // -> leaves 3 | 4.
  Tree t = Root();
  const auto [one, two] = Split(t, 0, 0, 0.5f, false);
  const auto [three, four] = Split(t, two, 1, -1.0f, true);
  const auto c = MakeCompleteTree(t, 2);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->depth, 2);
  ASSERT_EQ(c->splits.size(), 3u);
  // Slot 1 pads leaf 1 (every value left); slot 2 is the NaN-left split,
  // reading -x1 (column 2 + 1 = 3) with its children swapped.
  EXPECT_EQ(c->splits[0].column_offset, 0u);
  EXPECT_EQ(c->splits[0].threshold_key, OrderedKey(0.5f));
  EXPECT_EQ(c->splits[1].threshold_key, OrderedKey(kInf));
  EXPECT_EQ(c->splits[2].column_offset, 3 * kCompleteBlockRows);
  EXPECT_EQ(c->splits[2].threshold_key, OrderedKey(std::nextafter(1.0f, -kInf)));
  EXPECT_EQ(c->leaf_node, (std::vector<int32_t>{one, one, four, three}));
  EXPECT_EQ(c->leaf_value, (std::vector<double>{10, 10, 40, 30}));

  // Rows: {x0, x1} and the leaf LeafOfRow's rule gives by hand.
  const std::vector<std::pair<std::vector<float>, int>> cases = {
      {{0.5f, 0}, one},        // on the threshold: left
      {{0.0f, kNan}, one},     // x1 unused on this path
      {{kNan, 5}, four},       // NaN x0 goes right; 5 > -1 right
      {{kInf, -1.0f}, three},  // +inf right; on -1: left
      {{1, -kInf}, three},     // -inf <= -1: left
      {{1, kInf}, four},       // +inf: right (not the NaN side)
      {{1, kNan}, three},      // NaN x1 goes left
      {{1, -0.99999994f}, four}, {{-kInf, kNan}, one},
  };
  std::vector<float> x;
  for (const auto& [row, _] : cases) x.insert(x.end(), row.begin(), row.end());
  const std::vector<int32_t> leaf = Leaves(*c, x, 2);
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(leaf[i], cases[i].second) << "row " << i;
    EXPECT_EQ(leaf[i], LeafOfRow(t, x.data() + 2 * i)) << "row " << i;
  }
}

TEST(CompleteTreeTest, RandomTreesReachTheLeavesOfThePointerWalk) {
  // Random unbalanced trees of depth up to kMaxCompleteTreeDepth; rows with
  // NaN, infinities, signed zeros and values on the thresholds; 150 rows
  // cover the eight-row lanes, a partial block and the one-row tail.
  std::mt19937 rng(7);
  constexpr size_t d = 5;
  const std::vector<float> thresholds = {-2.0f, -0.5f, 0.0f, -0.0f, 0.25f, 1.0f, 3.0f};
  for (int trial = 0; trial < 20; ++trial) {
    Tree t = Root();
    std::vector<std::pair<int, int>> frontier{{0, 0}};  // node, depth
    while (!frontier.empty()) {
      const auto [node, depth] = frontier.back();
      frontier.pop_back();
      if (depth >= kMaxCompleteTreeDepth || (depth > 0 && rng() % 4 == 0)) continue;
      const auto [l, r] =
          Split(t, node, static_cast<int>(rng() % d), thresholds[rng() % thresholds.size()], rng() % 2 == 0);
      frontier.push_back({l, depth + 1});
      frontier.push_back({r, depth + 1});
    }
    const auto c = MakeCompleteTree(t, d);
    ASSERT_TRUE(c.has_value());
    std::vector<float> x(150 * d);
    const std::vector<float> specials = {kNan, kInf, -kInf, 0.0f, -0.0f, 0.25f, -2.0f, 1.0f};
    for (float& v : x) {
      v = rng() % 3 == 0 ? specials[rng() % specials.size()] : std::uniform_real_distribution<float>(-4.0f, 4.0f)(rng);
    }
    const std::vector<int32_t> leaf = Leaves(*c, x, d);
    std::vector<int32_t> block;
    for (size_t i = 0; i < 150; ++i) {
      ASSERT_EQ(leaf[i], LeafOfRow(t, x.data() + i * d)) << "trial " << trial << " row " << i;
    }
    // The summing walk adds the same leaves' values.
    std::vector<double> out(2 * 150, 1.0);
    for (size_t b = 0; b < 150; b += kCompleteBlockRows) {
      const size_t m = std::min(kCompleteBlockRows, 150 - b);
      FillCompleteTreeBlock(x.data() + b * d, d, m, block);
      AddCompleteTreeValues(*c, block.data(), m, out.data() + 2 * b + 1, 2);
    }
    for (size_t i = 0; i < 150; ++i) {
      ASSERT_EQ(out[2 * i], 1.0);
      ASSERT_EQ(out[2 * i + 1], 1.0 + t.value[static_cast<size_t>(leaf[i])]) << "row " << i;
    }
  }
}

TEST(CompleteTreeTest, OrderedKeysCompareAsTheFloats) {
  const float tiny = std::numeric_limits<float>::denorm_min();
  const std::vector<float> values = {-kInf, -3.0e38f, -2.0f, -1.0f, -tiny, -0.0f,   0.0f,
                                     tiny,  1e-30f,   0.5f,  1.0f,  2.0f,  3.0e38f, kInf};
  for (float a : values) {
    for (float b : values) {
      EXPECT_EQ(OrderedKey(a) > OrderedKey(b), a > b) << a << " " << b;
      EXPECT_EQ(OrderedKey(a) == OrderedKey(b), a == b) << a << " " << b;
    }
  }
}

TEST(CompleteTreeTest, DeepOrCategoricalTreesKeepThePointerLayout) {
  Tree deep = Root();
  int node = 0;
  for (int level = 0; level <= kMaxCompleteTreeDepth; ++level) node = Split(deep, node, 0, 1.0f, false).first;
  EXPECT_FALSE(MakeCompleteTree(deep, 1).has_value());

  Tree categorical = Root();
  Split(categorical, 0, 0, 0.0f, false);
  const uint64_t words[kCategoryWords] = {0b101, 0, 0, 0};
  categorical.SetCategorySet(0, words);
  EXPECT_FALSE(MakeCompleteTree(categorical, 1).has_value());

  const auto stump = MakeCompleteTree(Root(), 3);  // one leaf: no splits
  ASSERT_TRUE(stump.has_value());
  EXPECT_EQ(Leaves(*stump, std::vector<float>(9 * 3, 1.0f), 3), std::vector<int32_t>(9, 0));
}

}  // namespace
}  // namespace ember
