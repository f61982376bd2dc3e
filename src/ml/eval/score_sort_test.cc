#include "ml/eval/score_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace ember {
namespace {

TEST(ScoreSortTest, DescendingKeyOrdersScoresHighFirst) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> descending = {inf, 1e300, 2.5, 1.0, 1e-300, 0.0, -1e-300, -1.0, -3.5, -1e300, -inf};
  for (size_t i = 1; i < descending.size(); ++i) {
    EXPECT_LT(DescendingKey(descending[i - 1]), DescendingKey(descending[i])) << descending[i];
  }
  const float finf = std::numeric_limits<float>::infinity();
  const std::vector<float> descending_f = {finf, 3e38f, 2.5f, 1.0f, 1e-40f, 0.0f, -1e-40f, -1.0f, -3e38f, -finf};
  for (size_t i = 1; i < descending_f.size(); ++i) {
    EXPECT_LT(DescendingKey(descending_f[i - 1]), DescendingKey(descending_f[i])) << descending_f[i];
  }
}

TEST(ScoreSortTest, ZerosOfBothSignsTie) {
  EXPECT_EQ(DescendingKey(0.0), DescendingKey(-0.0));
  EXPECT_EQ(DescendingKey(0.0f), DescendingKey(-0.0f));
}

// Keys are (random % key_range) << shift | (random % low_range): a shift of
// 32 makes runs that share their high half, which the 64-bit sort refines.
template <class K>
void CheckMatchesStableSort(size_t n, K key_range, int threads, int shift = 0, K low_range = 1) {
  std::mt19937_64 rng(n);
  std::vector<SortRecord<K>> records(n);
  for (size_t i = 0; i < n; ++i) {
    records[i] = {static_cast<K>((rng() % key_range) << shift | (rng() % low_range)), static_cast<uint32_t>(i)};
  }
  std::vector<SortRecord<K>> expected = records;
  std::stable_sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  std::vector<SortRecord<K>> scratch(n);
  const auto sorted = RadixSort(std::span(records), std::span(scratch), Context::Default(threads));
  ASSERT_EQ(sorted.size(), n);
  for (size_t i = 0; i < n; ++i) {
    ASSERT_EQ(sorted[i].key, expected[i].key) << "at " << i;
    ASSERT_EQ(sorted[i].payload, expected[i].payload) << "at " << i;  // stable: ties keep input order
  }
}

TEST(ScoreSortTest, SmallInputsUseStableComparisonSort) {
  CheckMatchesStableSort<uint32_t>(1000, 50, 2);
  CheckMatchesStableSort<uint64_t>(0, 1, 2);
  CheckMatchesStableSort<uint64_t>(1, 1, 2);
}

TEST(ScoreSortTest, RadixSortIsStableForAnyThreadCount) {
  for (int threads : {1, 2}) {
    CheckMatchesStableSort<uint32_t>(100000, 1000, threads);
    CheckMatchesStableSort<uint32_t>(70000, std::numeric_limits<uint32_t>::max(), threads);
    CheckMatchesStableSort<uint64_t>(100000, std::numeric_limits<uint64_t>::max(), threads);
    CheckMatchesStableSort<uint64_t>(50000, 7, threads);                 // one run: every key has high half 0
    CheckMatchesStableSort<uint64_t>(150000, 40, threads, 32, 5000);     // long runs, across refine blocks
    CheckMatchesStableSort<uint64_t>(100000, 20000, threads, 32, 1000);  // short runs (insertion sort)
  }
}

}  // namespace
}  // namespace ember
