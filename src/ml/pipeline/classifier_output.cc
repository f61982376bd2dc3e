#include "ml/pipeline/classifier_output.h"

#include <cmath>

namespace ember {

ClassifierColumns ClassifierColumns::FromParams(const ParamMap& params) {
  return {params.GetString("rawPredictionCol"), params.GetString("probabilityCol"), params.GetString("predictionCol")};
}

void AddClassifierOutputParams(ParamTable& table) {
  table.String("rawPredictionCol", "rawPrediction", "output column of raw margins (vector[numClasses]); '' for none")
      .String("probabilityCol", "probability", "output column of class probabilities; '' for none")
      .String("predictionCol", "prediction", "output column of the predicted class index; '' for none");
}

Schema AppendClassifierOutputs(const Stage& stage, const Schema& input, const ClassifierColumns& columns,
                               int num_classes) {
  Schema out = input;
  if (!columns.raw_prediction.empty()) {
    RequireAbsent(stage, out, "rawPredictionCol", columns.raw_prediction);
    out = AppendField(out, {columns.raw_prediction, DataType::DenseVector(num_classes), {}});
  }
  if (!columns.probability.empty()) {
    RequireAbsent(stage, out, "probabilityCol", columns.probability);
    out = AppendField(out, {columns.probability, DataType::DenseVector(num_classes), {}});
  }
  if (!columns.prediction.empty()) {
    RequireAbsent(stage, out, "predictionCol", columns.prediction);
    out = AppendField(out, {columns.prediction, DataType::Float64(), {}});
  }
  return out;
}

double PredictFromProbabilities(std::span<const double> prob, std::span<const double> thresholds) {
  size_t best = 0;
  double best_value = -1;
  for (size_t k = 0; k < prob.size(); ++k) {
    double v = prob[k];
    if (!thresholds.empty()) v = thresholds[k] > 0 ? prob[k] / thresholds[k] : (prob[k] > 0 ? HUGE_VAL : 0.0);
    if (v > best_value) {
      best_value = v;
      best = k;
    }
  }
  return static_cast<double>(best);
}

}  // namespace ember
