// MulticlassClassificationEvaluator: accuracy, weighted and per-label
// precision/recall/F-measure/rates, Hamming loss and log loss of a
// classifier's predictions, with Spark's param and metric names.
#pragma once

#include <map>
#include <string>

#include "ml/eval/evaluator.h"
#include "ml/eval/multiclass_metrics.h"

namespace ember {

/// Params (Spark's names):
///   predictionCol   "prediction"   predicted label (numeric)
///   labelCol        "label"        true label (numeric)
///   weightCol       unset          optional non-negative row weights
///   probabilityCol  "probability"  class probabilities (vector), for logLoss
///   metricName      "f1"           f1 (weighted F1) | accuracy | weightedPrecision |
///                   weightedRecall | weightedTruePositiveRate | weightedFalsePositiveRate |
///                   weightedFMeasure (with beta) | truePositiveRateByLabel |
///                   falsePositiveRateByLabel | precisionByLabel | recallByLabel |
///                   fMeasureByLabel (with beta) | logLoss | hammingLoss
///   metricLabel     0.0            the label of the ...ByLabel metrics
///   beta            1.0            beta of weightedFMeasure and fMeasureByLabel
///   eps             1e-15          probabilities are clipped below at eps for logLoss
class MulticlassClassificationEvaluator final : public Evaluator {
 public:
  /// The declared params (built once).
  static const ParamTable& Params();
  /// An evaluator with `values` set over the defaults. Throws
  /// InvalidArgument for an unknown param or a bad value.
  static MulticlassClassificationEvaluator Make(const std::map<std::string, ParamValue>& values = {});
  /// REQUIRES: params is a ParamMap over Params().
  explicit MulticlassClassificationEvaluator(ParamMap params);

  /// The chosen metric. Throws InvalidArgument for null or non-finite
  /// labels or predictions, bad weights, a metricLabel that is neither a
  /// label nor a prediction, and (logLoss) a label that is not an index
  /// into the probability vector or a NaN probability.
  double Evaluate(const DataFrame& data, const Context& ctx) const override;
  /// False for weightedFalsePositiveRate, falsePositiveRateByLabel, logLoss
  /// and hammingLoss; true for the others.
  bool IsLargerBetter() const override;

  /// The confusion matrix and every per-label and weighted metric (reads
  /// predictionCol, labelCol and weightCol), for run reports.
  MulticlassReport Report(const DataFrame& data, const Context& ctx) const;

  /// Spark's logLoss: sum_i w_i * -log(max(p_i[label_i], eps)) / sum_i w_i.
  /// Probabilities are used as given (not renormalised).
  double LogLoss(const DataFrame& data, const Context& ctx) const;
};

}  // namespace ember
