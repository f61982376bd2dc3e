// Exact areas under the ROC and precision-recall curves of a binary
// classifier's scores. Rows are sorted by score, descending (parallel radix
// sort), rows with equal scores form one threshold, and the curves are swept
// over fixed blocks, so the areas are the same for any thread count.
//
// Definitions (P, N: total positive and negative weight; tp_k, fp_k: the
// weights at or above the k-th distinct score, k = 1..T):
//   area_under_roc     trapezoids through (0,0), (fp_k/N, tp_k/P), (1,1);
//                      ties are a diagonal step. Equals sklearn's
//                      roc_auc_score and Spark's areaUnderROC without binning.
//   area_under_pr      Spark's areaUnderPR: trapezoids through the points
//                      (recall_k, precision_k), preceded by (0, precision_1).
//                      precision is 1 where tp + fp = 0, as Spark.
//   average_precision  sklearn's average_precision_score:
//                      sum_k (recall_k - recall_{k-1}) * precision_k, recall_0 = 0
//                      (a step function, no interpolation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/context.h"

namespace ember {

/// The areas of one set of scored rows; an area is NaN where it is undefined
/// (ROC without a positive or a negative weight, PR without a positive one).
struct BinaryCurveAreas {
  double area_under_roc = 0;
  double area_under_pr = 0;
  double average_precision = 0;
  double positive_weight = 0;
  double negative_weight = 0;
  /// Number of distinct scores (thresholds).
  size_t thresholds = 0;
};

/// Most rows one call accepts (the sort packs a row index and a label in 32 bits).
inline constexpr size_t kMaxBinaryRows = (size_t{1} << 31) - 1;

/// Areas for scores[i] with labels[i] (0 or 1) and weights[i] (empty: every
/// weight is 1). Double scores that are all exactly representable as floats
/// sort on 32-bit keys. REQUIRES: equal lengths, no NaN score, labels in
/// {0, 1}, finite weights >= 0. Throws InvalidArgument when there are more
/// than kMaxBinaryRows rows.
BinaryCurveAreas ComputeBinaryAreas(std::span<const double> scores, std::span<const uint8_t> labels,
                                    std::span<const double> weights, const Context& ctx);
BinaryCurveAreas ComputeBinaryAreas(std::span<const float> scores, std::span<const uint8_t> labels,
                                    std::span<const double> weights, const Context& ctx);

}  // namespace ember
