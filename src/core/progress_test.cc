#include "core/progress.h"

#include <cstdio>
#include <vector>

#include <gtest/gtest.h>

#include "core/context.h"
#include "core/random.h"

namespace ember {
namespace {

TEST(ProgressTest, InactiveWhenNotATerminal) {
  std::FILE* f = std::tmpfile();
  auto sink = ProgressSink::Make(true, f);
  EXPECT_FALSE(sink->active());
  {
    auto bar = sink->Start("work", 100);
    bar->Advance(60);
    EXPECT_EQ(bar->done(), 60u);
  }
  EXPECT_EQ(std::ftell(f), 0);  // nothing written
  std::fclose(f);
}

TEST(ProgressTest, RenderShowsPercentRateAndEta) {
  auto sink = ProgressSink::Silent();
  auto bar = sink->Start("read", 1000);
  bar->Advance(250);
  // 250 rows in 2 s: 125 rows/s, 750 left -> 6 s.
  EXPECT_EQ(bar->Render(2.0), "read [======>                 ]  25% 125 rows/s ETA 6s");
}

TEST(ProgressTest, ObservedSinkReportsEachFinishedTask) {
  std::vector<ProgressReport> seen;
  const Context ctx = Context::Default(1).WithProgress(
      ProgressSink::Observed([&](const ProgressReport& r) { seen.push_back(r); }));
  EXPECT_FALSE(ctx.progress().active());
  {
    auto bar = ctx.progress().Start("read a.csv", 500, "bytes");
    bar->Advance(200);
    bar->Advance(300);
    EXPECT_TRUE(seen.empty());  // reported when the task ends
  }
  ctx.progress().Start("binning", 0)->Advance(7);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].label, "read a.csv");
  EXPECT_EQ(seen[0].total, 500u);
  EXPECT_EQ(seen[0].unit, "bytes");
  EXPECT_EQ(seen[0].done, 500u);
  EXPECT_EQ(seen[0].advances, 2u);
  EXPECT_EQ(seen[1].label, "binning");
  EXPECT_EQ(seen[1].unit, "rows");
  EXPECT_EQ(seen[1].done, 7u);
}

TEST(RandomTest, StreamsAreReproducibleAndDistinct) {
  Rng a(42, 0), b(42, 0), c(42, 1);
  const uint64_t a0 = a.Next();
  EXPECT_EQ(a0, b.Next());
  EXPECT_NE(a0, c.Next());
  EXPECT_EQ(UniformAt(1, 5), UniformAt(1, 5));
  EXPECT_NE(UniformAt(1, 5), UniformAt(2, 5));
}

TEST(RandomTest, NormalHasUnitMoments) {
  Rng r(7, 3);
  double s = 0, s2 = 0;
  const int n = 200'000;
  for (int i = 0; i < n; ++i) {
    const double x = r.Normal();
    s += x;
    s2 += x * x;
  }
  EXPECT_NEAR(s / n, 0.0, 0.01);
  EXPECT_NEAR(s2 / n, 1.0, 0.01);
}

}  // namespace
}  // namespace ember
