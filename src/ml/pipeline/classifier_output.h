// The output columns every probabilistic classifier appends, named and
// shaped as in Spark: rawPrediction (vector[K] of margins), probability
// (vector[K]) and prediction (float64 class index).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/context.h"
#include "frame/dataframe.h"
#include "ml/pipeline/stage.h"

namespace ember {

struct ClassifierColumns {
  std::string raw_prediction = "rawPrediction";
  std::string probability = "probability";
  std::string prediction = "prediction";

  /// Reads rawPredictionCol, probabilityCol and predictionCol from params;
  /// an empty name means the column is not produced (as in Spark).
  static ClassifierColumns FromParams(const ParamMap& params);
};

/// Declares the three params in a classifier's table.
void AddClassifierOutputParams(ParamTable& table);

/// `input` plus the output fields; throws SchemaError (naming `stage`) when
/// one already exists.
Schema AppendClassifierOutputs(const Stage& stage, const Schema& input, const ClassifierColumns& columns,
                               int num_classes);

/// Fills the output columns from per-row scores. `score(row, raw, prob)`
/// writes K raw margins and K probabilities for one row; prediction is
/// argmax_k prob_k / thresholds_k (argmax prob when thresholds is empty).
/// Runs in parallel over row blocks.
template <class ScoreFn>
DataFrame AppendClassifierPredictions(const DataFrame& input, const ClassifierColumns& columns, int num_classes,
                                      std::span<const double> thresholds, ScoreFn score, const Context& ctx);

/// argmax_k prob_k / thresholds_k; ties go to the lower index (Spark).
double PredictFromProbabilities(std::span<const double> prob, std::span<const double> thresholds);

}  // namespace ember

#include "ml/pipeline/classifier_output_inl.h"
