// Template part of classifier_output.h.
#pragma once

#include "core/parallel_for.h"
#include "frame/buffer.h"

namespace ember {

template <class ScoreFn>
DataFrame AppendClassifierPredictions(const DataFrame& input, const ClassifierColumns& columns, int num_classes,
                                      std::span<const double> thresholds, ScoreFn score, const Context& ctx) {
  const size_t n = input.num_rows();
  const auto K = static_cast<size_t>(num_classes);
  auto raw = Buffer::Allocate(n * K * sizeof(float));
  auto prob = Buffer::Allocate(n * K * sizeof(float));
  auto pred = Buffer::Allocate(n * sizeof(double));
  ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
    std::vector<double> raw_row(K), prob_row(K);
    float* raw_out = raw->mutable_as<float>();
    float* prob_out = prob->mutable_as<float>();
    double* pred_out = pred->mutable_as<double>();
    for (size_t i = r.begin; i < r.end; ++i) {
      score(i, std::span<double>(raw_row), std::span<double>(prob_row));
      for (size_t k = 0; k < K; ++k) {
        raw_out[i * K + k] = static_cast<float>(raw_row[k]);
        prob_out[i * K + k] = static_cast<float>(prob_row[k]);
      }
      pred_out[i] = PredictFromProbabilities(prob_row, thresholds);
    }
  });
  DataFrame out = input;
  if (!columns.raw_prediction.empty()) {
    out = out.WithColumn(columns.raw_prediction,
                         Column::Make(DataType::DenseVector(num_classes), n, {.values = std::move(raw)}));
  }
  if (!columns.probability.empty()) {
    out = out.WithColumn(columns.probability,
                         Column::Make(DataType::DenseVector(num_classes), n, {.values = std::move(prob)}));
  }
  if (!columns.prediction.empty()) {
    out = out.WithColumn(columns.prediction, Column::Make(DataType::Float64(), n, {.values = std::move(pred)}));
  }
  return out;
}

}  // namespace ember
