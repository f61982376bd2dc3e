#include "core/fast_math.h"

#include <cmath>

#include <gtest/gtest.h>

namespace ember {
namespace {

TEST(FastMathTest, ExpMatchesLibm) {
  for (double x = -745.0; x <= 0.0; x += 0.0137) {
    const double want = std::exp(std::max(x, -708.0));
    ASSERT_NEAR(ExpNonPositive(x), want, 4e-16 * want + 1e-300) << x;
  }
  EXPECT_EQ(ExpNonPositive(0.0), 1.0);
}

TEST(FastMathTest, Log1pMatchesLibm) {
  for (double e = 0.0; e <= 1.0; e += 1.0 / 4096) {
    ASSERT_NEAR(Log1pUnit(e), std::log1p(e), 8e-16 * std::log1p(e)) << e;  // a few ulps
  }
  EXPECT_NEAR(Log1pUnit(1e-300), 1e-300, 1e-315);
}

}  // namespace
}  // namespace ember
