// The smooth part of the (binomial or multinomial) logistic regression
// objective, evaluated in one parallel pass over the rows:
//
//   (1 / W) sum_i w_i loss(y_i, margins_i) + (l2 / 2) ||beta||^2
//
// Coefficients are optimised in standardised space (beta_j = coef_j * std_j)
// for conditioning; centring is virtual (folded into the intercept), so
// sparse input stays sparse. Partial sums are per fixed row block and folded
// in block order: the result is bit-identical for any thread count.
#pragma once

#include <span>
#include <vector>

#include "core/context.h"
#include "ml/linear/design.h"

namespace ember {

struct LogisticObjectiveOptions {
  /// Number of margin vectors: 1 for binomial, K for multinomial.
  int num_margins = 1;
  bool fit_intercept = true;
  /// Penalise standardised coefficients (Spark's standardization=true) or the
  /// original-scale ones.
  bool standardization = true;
  /// The L2 weight, regParam * (1 - elasticNetParam).
  double l2 = 0.0;
};

class LogisticObjective {
 public:
  /// `design` and `stats` must outlive the objective.
  LogisticObjective(const Design& design, const FeatureStats& stats, const LogisticObjectiveOptions& options,
                    const Context& ctx);

  /// Parameters: num_margins blocks of dim coefficients, then num_margins
  /// intercepts when fit_intercept.
  size_t num_params() const;
  double operator()(std::span<const double> theta, std::span<double> gradient) const;

  /// Per-parameter L1 weights for OWL-QN (intercepts unpenalised).
  std::vector<double> L1Weights(double l1) const;

  /// Original-scale coefficients (num_margins x dim, row-major) and intercepts.
  void ToOriginalScale(std::span<const double> theta, std::vector<double>* coefficients,
                       std::vector<double>* intercepts) const;

 private:
  const Design& design_;
  LogisticObjectiveOptions options_;
  Context ctx_;
  std::vector<double> mean_;     // zeros when not centring
  std::vector<double> inv_std_;  // 0 for constant features: they get no coefficient
};

}  // namespace ember
