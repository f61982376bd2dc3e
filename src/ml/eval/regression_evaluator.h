// RegressionEvaluator: rmse, mse, mae, r2 and Spark's "var" of a
// regressor's predictions, with Spark's param and metric names.
#pragma once

#include <map>
#include <string>

#include "ml/eval/evaluator.h"

namespace ember {

/// Weighted sums over rows (w: weight, y: label, f: prediction, ybar: the
/// weighted mean of y) from which every regression metric follows.
struct RegressionSums {
  double weight = 0;          // W = sum w
  double label_mean = 0;      // ybar
  double squared_error = 0;   // sum w (y - f)^2
  double absolute_error = 0;  // sum w |y - f|
  double total_squares = 0;   // sum w (y - ybar)^2
  double explained = 0;       // sum w (f - ybar)^2
  double label_squares = 0;   // sum w y^2
};

/// Params (Spark's names):
///   predictionCol  "prediction"  predicted value (numeric)
///   labelCol       "label"       true value (numeric)
///   weightCol      unset         optional non-negative row weights
///   metricName     "rmse"        rmse | mse | mae | r2 | var
///   throughOrigin  false         r2 of a model fitted without intercept
///
/// Definitions, with the names of RegressionSums:
///   mse = squared_error / W, rmse = sqrt(mse), mae = absolute_error / W
///   r2  = 1 - squared_error / total_squares (sklearn's r2_score), or
///         1 - squared_error / label_squares when throughOrigin
///   var = explained / W = sum w (f - ybar)^2 / W: Spark's explainedVariance,
///         the variance of the predictions around the label mean. This is
///         not sklearn's explained_variance_score (1 - Var(y - f) / Var(y)).
/// Spark computes the weighted r2 denominator as an unbiased weighted
/// variance times (W - 1); that equals total_squares for unit weights only.
/// ember uses total_squares, the weighted sum of squares, in both cases.
class RegressionEvaluator final : public Evaluator {
 public:
  /// The declared params (built once).
  static const ParamTable& Params();
  /// An evaluator with `values` set over the defaults. Throws
  /// InvalidArgument for an unknown param or a bad value.
  static RegressionEvaluator Make(const std::map<std::string, ParamValue>& values = {});
  /// REQUIRES: params is a ParamMap over Params().
  explicit RegressionEvaluator(ParamMap params);

  /// The chosen metric. Throws InvalidArgument for null or non-finite
  /// labels or predictions and bad weights; r2 is -inf or NaN when every
  /// label equals the mean (0 total sum of squares), as sklearn's formula.
  double Evaluate(const DataFrame& data, const Context& ctx) const override;
  /// True for r2 and var; false for the error metrics.
  bool IsLargerBetter() const override;

  /// The weighted sums behind every metric, in two passes over fixed blocks.
  RegressionSums Sums(const DataFrame& data, const Context& ctx) const;
};

}  // namespace ember
