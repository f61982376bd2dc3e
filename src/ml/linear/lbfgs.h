// Quasi-Newton minimisers shared by the linear models (and, later, online
// learners): L-BFGS with a strong-Wolfe line search for smooth objectives,
// and OWL-QN (Andrew & Gao, 2007) when an L1 term is present.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace ember {

/// f(x); writes the gradient of f at x into `gradient` (same length as x).
/// f is the smooth part only: the L1 term is handled by the minimiser.
using SmoothObjective = std::function<double(std::span<const double> x, std::span<double> gradient)>;

struct LbfgsOptions {
  int max_iterations = 100;
  /// Converged when the relative decrease of the objective over one
  /// iteration, |f_prev - f| / max(|f_prev|, |f|, 1), falls below tol, or when
  /// the (pseudo-)gradient's largest entry falls below tol.
  double tolerance = 1e-6;
  /// Correction pairs kept (Spark and Breeze use 10).
  int history = 10;
  /// Per-coordinate L1 weights; empty = plain L-BFGS. A non-zero entry makes
  /// the minimiser OWL-QN and adds sum_j l1[j] |x_j| to the objective.
  std::vector<double> l1;
  /// Called after each iteration with its 1-based number (progress bars).
  std::function<void(int iteration)> on_iteration;
};

struct LbfgsResult {
  std::vector<double> x;
  /// Objective (including the L1 term) at the start and after each iteration.
  std::vector<double> objective_history;
  int iterations = 0;
  bool converged = false;
  /// Why it stopped: "relative objective change below tolerance",
  /// "gradient below tolerance", "no further decrease", "max iterations reached",
  /// "line search failed" (at machine precision when tolerance is 0).
  std::string stop_reason;
};

/// Minimises objective(x) + sum_j l1[j] |x_j| from x0. Deterministic: the
/// same objective values give the same iterates.
LbfgsResult MinimizeLbfgs(const SmoothObjective& objective, std::vector<double> x0, const LbfgsOptions& options);

}  // namespace ember
