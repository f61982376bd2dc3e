#include "core/parallel_for.h"

#include <atomic>
#include <numeric>
#include <stdexcept>

#include <gtest/gtest.h>

#include "core/error.h"

namespace ember {
namespace {

TEST(ParallelForTest, VisitsEveryRowExactlyOnce) {
  const size_t n = 100'003;
  std::vector<std::atomic<int>> seen(n);
  ParallelFor(Context::Default(2), n, 1000, [&](const BlockRange& r) {
    for (size_t i = r.begin; i < r.end; ++i) seen[i]++;
  });
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i].load(), 1) << i;
}

TEST(ParallelForTest, BlocksDependOnlyOnSize) {
  std::vector<BlockRange> ranges(NumBlocks(10, 4));
  ParallelFor(Context::Default(2), 10, 4, [&](const BlockRange& r) { ranges[r.index] = r; });
  ASSERT_EQ(ranges.size(), 3u);
  EXPECT_EQ(ranges[0].begin, 0u);
  EXPECT_EQ(ranges[1].begin, 4u);
  EXPECT_EQ(ranges[2].begin, 8u);
  EXPECT_EQ(ranges[2].end, 10u);
}

TEST(ParallelForTest, FloatSumIsIdenticalForOneAndTwoThreads) {
  // Summation order changes float results; fixed blocks folded in order must not.
  std::vector<float> x(1'000'000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = 1.0f / static_cast<float>(i + 1) * ((i % 3) ? 1.f : -1.7f);
  auto sum = [&](int threads) {
    return ParallelReduce(Context::Default(threads), x.size(), 4096, 0.0, [&](const BlockRange& r) {
      double s = 0;
      for (size_t i = r.begin; i < r.end; ++i) s += x[i];
      return s;
    }, [](double a, double b) { return a + b; });
  };
  const double one = sum(1);
  EXPECT_EQ(one, sum(2));  // bit-identical, not just close
  EXPECT_EQ(one, sum(7));
  double sequential = 0;
  for (float v : x) sequential += v;
  EXPECT_NEAR(one, sequential, 1e-9);
}

TEST(ParallelForTest, RethrowsTheLowestFailingBlock) {
  for (int threads : {1, 2, 4}) {
    try {
      ParallelFor(Context::Default(threads), 1000, 10, [&](const BlockRange& r) {
        if (r.index == 37 || r.index == 80) throw InvalidArgument("block " + std::to_string(r.index));
      });
      FAIL() << "expected an exception";
    } catch (const InvalidArgument& e) {
      EXPECT_STREQ(e.what(), "block 37") << threads;
    }
  }
}

TEST(ParallelForTest, EmptyRangeCallsNothing) {
  int calls = 0;
  ParallelFor(Context::Default(2), 0, 16, [&](const BlockRange&) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(ContextTest, RejectsNegativeThreads) {
  EXPECT_THROW(Context::Make({.threads = -1}), InvalidArgument);
  EXPECT_GE(Context::Make({.threads = 0}).threads(), 1);
  EXPECT_EQ(Context::Default(3).WithThreads(1).threads(), 1);
  EXPECT_EQ(Context::Default(3).WithSeed(7).seed(), 7u);
}

}  // namespace
}  // namespace ember
