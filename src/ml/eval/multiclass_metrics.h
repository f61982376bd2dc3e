// The confusion matrix of a multiclass classifier and every metric Spark's
// MulticlassMetrics derives from it (per-label precision, recall, F-measure,
// true and false positive rates; their support-weighted averages; accuracy
// and Hamming loss). Row weights are supported throughout.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/context.h"

namespace ember {

/// Per-label counts and rates (weights, when rows are weighted).
struct LabelMetrics {
  double label = 0;
  double support = 0;    // weight of rows whose true label is this one
  double predicted = 0;  // weight of rows predicted as this label
  double true_positive = 0;
  double false_positive = 0;       // predicted as this label, truly another
  double precision = 0;            // tp / predicted; 0 when nothing is predicted as this label
  double recall = 0;               // tp / support (= true positive rate); 0 when support is 0
  double f1 = 0;                   // F-measure with beta 1
  double false_positive_rate = 0;  // fp / (total - support); 0 when every row has this label
};

/// Everything about one set of (label, prediction, weight) rows.
struct MulticlassReport {
  /// Sorted distinct values of labels and predictions together.
  std::vector<double> labels;
  /// labels.size()^2 weights, row-major: confusion[a * k + p] is the weight
  /// of rows with true label labels[a] predicted as labels[p] (Spark's and
  /// sklearn's orientation: rows are actual, columns predicted).
  std::vector<double> confusion;
  std::vector<LabelMetrics> per_label;  // parallel to labels
  double total_weight = 0;
  double accuracy = 0;  // = weighted recall = weighted true positive rate
  double weighted_precision = 0;
  double weighted_recall = 0;
  double weighted_f1 = 0;
  double weighted_false_positive_rate = 0;
  double hamming_loss = 0;  // weight of misclassified rows / total (1 - accuracy)

  size_t num_labels() const { return labels.size(); }
  double ConfusionAt(size_t actual, size_t predicted) const { return confusion[actual * labels.size() + predicted]; }
  /// Index of `label` in labels, if present.
  std::optional<size_t> IndexOf(double label) const;
  /// (1 + b^2) p r / (b^2 p + r) for the label at `index`; 0 when p + r = 0.
  double FMeasure(size_t index, double beta) const;
  /// Sum over labels of FMeasure(beta) * support / total (Spark's weightedFMeasure).
  double WeightedFMeasure(double beta) const;
};

/// Most distinct values of labels and predictions together (a guard against
/// evaluating a regression column as classes).
inline constexpr size_t kMaxMulticlassLabels = 4096;

/// Builds the report. weights empty means every weight is 1. Weighted
/// averages weight each label by its support, so labels that are only ever
/// predicted count in the matrix but add nothing to the averages (as Spark
/// and sklearn). REQUIRES: equal lengths, finite values, finite weights >= 0
/// with a positive total. Throws InvalidArgument when there are more than
/// kMaxMulticlassLabels distinct values.
MulticlassReport ComputeMulticlassReport(std::span<const double> labels, std::span<const double> predictions,
                                         std::span<const double> weights, const Context& ctx);

}  // namespace ember
