// BinaryClassificationEvaluator: the area under the ROC or precision-recall
// curve of a binary classifier's scores, as Spark's evaluator of that name,
// computed exactly (Spark's numBins = 0; there is no down-sampling).
#pragma once

#include <map>
#include <string>

#include "ml/eval/binary_curve.h"
#include "ml/eval/evaluator.h"

namespace ember {

/// Params (Spark's names):
///   rawPredictionCol  "rawPrediction"  numeric score, or a vector of 2 whose
///                                      entry 1 is the positive class's score
///   labelCol          "label"          0 or 1 (bool, int or float column)
///   weightCol         unset            optional non-negative row weights
///   metricName        "areaUnderROC"   areaUnderROC | areaUnderPR (Spark's
///                     trapezoidal PR area) | averagePrecision (sklearn's
///                     step-wise average_precision_score); see binary_curve.h
class BinaryClassificationEvaluator final : public Evaluator {
 public:
  /// The declared params (built once).
  static const ParamTable& Params();
  /// An evaluator with `values` set over the defaults. Throws
  /// InvalidArgument for an unknown param or a bad value.
  static BinaryClassificationEvaluator Make(const std::map<std::string, ParamValue>& values = {});
  /// REQUIRES: params is a ParamMap over Params().
  explicit BinaryClassificationEvaluator(ParamMap params);

  /// The chosen area. Throws InvalidArgument for null or NaN scores, labels
  /// other than 0 and 1, bad weights, or a curve that is undefined because
  /// all the weight is on one class (on no positive, for the PR metrics).
  double Evaluate(const DataFrame& data, const Context& ctx) const override;
  bool IsLargerBetter() const override { return true; }

  /// All three areas and the class weights, from one sort.
  BinaryCurveAreas EvaluateAll(const DataFrame& data, const Context& ctx) const;
};

}  // namespace ember
