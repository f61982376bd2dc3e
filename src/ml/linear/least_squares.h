// Weighted least squares for LinearRegression: the closed-form normal
// equations (Cholesky on the standardised Gram matrix) for L2-only
// problems, and the smooth objective for L-BFGS / OWL-QN otherwise.
//
// Objective (ember's, equal to scikit-learn's ElasticNet with
// alpha = regParam and l1_ratio = elasticNetParam; Spark additionally
// rescales the penalty by the label's standard deviation):
//   (1 / 2W) sum_i w_i (y_i - x_i . coef - b)^2 + regParam ((1 - a)/2 ||c||^2 + a ||c||_1)
// where c are the standardised coefficients with standardization=true and
// the original ones otherwise.
#pragma once

#include <span>
#include <vector>

#include "core/context.h"
#include "ml/linear/design.h"

namespace ember {

struct LeastSquaresOptions {
  bool fit_intercept = true;
  bool standardization = true;
  double l2 = 0.0;  // regParam * (1 - elasticNetParam)
};

/// Solves the L2-regularised problem exactly. Throws InvalidArgument when the
/// system is singular (e.g. collinear features without regularisation).
void SolveNormalEquations(const Design& design, const FeatureStats& stats, const LeastSquaresOptions& options,
                          const Context& ctx, std::vector<double>* coefficients, double* intercept);

/// The smooth part as an L-BFGS objective over standardised coefficients
/// (then the intercept); ToOriginalScale maps a solution back.
class LeastSquaresObjective {
 public:
  LeastSquaresObjective(const Design& design, const FeatureStats& stats, const LeastSquaresOptions& options,
                        const Context& ctx);
  size_t num_params() const;
  double operator()(std::span<const double> theta, std::span<double> gradient) const;
  std::vector<double> L1Weights(double l1) const;
  void ToOriginalScale(std::span<const double> theta, std::vector<double>* coefficients, double* intercept) const;

 private:
  const Design& design_;
  LeastSquaresOptions options_;
  Context ctx_;
  std::vector<double> mean_;
  std::vector<double> inv_std_;
};

}  // namespace ember
