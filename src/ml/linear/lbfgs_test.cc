#include "ml/linear/lbfgs.h"

#include <cmath>

#include <gtest/gtest.h>

namespace ember {
namespace {

TEST(LbfgsTest, MinimisesRosenbrock) {
  // f = (1 - a)^2 + 100 (b - a^2)^2, minimum 0 at (1, 1).
  auto f = [](std::span<const double> x, std::span<double> g) {
    const double a = x[0], b = x[1];
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a);
  };
  LbfgsOptions o;
  o.max_iterations = 200;
  o.tolerance = 1e-14;
  const LbfgsResult r = MinimizeLbfgs(f, {-1.2, 1.0}, o);
  EXPECT_NEAR(r.x[0], 1.0, 1e-6);
  EXPECT_NEAR(r.x[1], 1.0, 1e-6);
  EXPECT_TRUE(r.converged) << r.stop_reason;
  for (size_t i = 1; i < r.objective_history.size(); ++i) {
    EXPECT_LE(r.objective_history[i], r.objective_history[i - 1]);  // monotone decrease
  }
}

TEST(LbfgsTest, OwlqnSolvesSeparableLassoExactly) {
  // f = 0.5 sum (x_i - c_i)^2 + sum l_i |x_i| has the soft-threshold solution
  // x_i = sign(c_i) max(|c_i| - l_i, 0).
  const std::vector<double> c = {3.0, -0.5, 0.2, -4.0};
  const std::vector<double> l = {1.0, 1.0, 0.1, 0.0};
  auto f = [&](std::span<const double> x, std::span<double> g) {
    double v = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      g[i] = x[i] - c[i];
      v += 0.5 * (x[i] - c[i]) * (x[i] - c[i]);
    }
    return v;
  };
  LbfgsOptions o;
  o.l1 = l;
  o.tolerance = 1e-12;
  const LbfgsResult r = MinimizeLbfgs(f, std::vector<double>(4, 0.0), o);
  EXPECT_NEAR(r.x[0], 2.0, 1e-8);
  EXPECT_EQ(r.x[1], 0.0);  // exactly zero, not merely small
  EXPECT_NEAR(r.x[2], 0.1, 1e-8);
  EXPECT_NEAR(r.x[3], -4.0, 1e-8);
}

TEST(LbfgsTest, StopsAtMaxIterations) {
  auto f = [](std::span<const double> x, std::span<double> g) {
    g[0] = 2 * x[0] * 1e-3 + std::exp(x[0]);
    return x[0] * x[0] * 1e-3 + std::exp(x[0]);
  };
  LbfgsOptions o;
  o.max_iterations = 1;
  o.tolerance = 0;
  const LbfgsResult r = MinimizeLbfgs(f, {5.0}, o);
  EXPECT_EQ(r.iterations, 1);
  EXPECT_EQ(r.stop_reason, "max iterations reached");
}

}  // namespace
}  // namespace ember
