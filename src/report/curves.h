// The points the report plots, computed from a binary classifier's scores on
// the test set: ROC and precision-recall curves (rows with equal scores form
// one threshold), the reliability diagram's bins, plus the helpers that keep
// plots small (curve downsampling, deterministic row subsampling, histogram).
//
// Conventions follow scikit-learn 1.2 so the points can be checked against it:
//   roc_curve(drop_intermediate=False): (0, 0) at threshold +inf, then
//     (fp_k / N, tp_k / P) for each distinct score, descending.
//   precision_recall_curve: (recall 0, precision 1) at threshold +inf, then
//     (tp_k / P, tp_k / (tp_k + fp_k)) for each distinct score, descending
//     (precision 0 where tp_k + fp_k = 0).
//   average_precision_score: sum_k (recall_k - recall_{k-1}) * precision_k.
//   calibration_curve(strategy="uniform"): bin edges i / n_bins; a score on an
//     inner edge falls in the lower bin; empty bins are left out.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace ember::report {

/// One point of a curve, with the score threshold that produced it.
struct CurvePoint {
  double x = 0, y = 0;
  double threshold = 0;
};

/// Cumulative weights at each distinct score, highest score first.
struct ThresholdSweep {
  std::vector<double> thresholds;
  std::vector<double> true_positive;   // positive weight with score >= threshold
  std::vector<double> false_positive;  // negative weight with score >= threshold
  double positive_weight = 0;
  double negative_weight = 0;
};

/// Sorts the rows by score and sums weights per distinct score. `weights` is
/// empty (every weight 1) or one per row. Rows with a non-finite score or a
/// label other than 0/1 are ignored. Throws InvalidArgument when the lengths
/// differ.
ThresholdSweep SweepThresholds(std::span<const double> scores, std::span<const double> labels,
                               std::span<const double> weights);

/// ROC points (x: false positive rate, y: true positive rate). Empty when the
/// sweep has no positive or no negative weight.
std::vector<CurvePoint> RocPoints(const ThresholdSweep& sweep);

/// Precision-recall points (x: recall, y: precision). Empty without positive
/// weight.
std::vector<CurvePoint> PrecisionRecallPoints(const ThresholdSweep& sweep);

/// Area under a polyline by the trapezoid rule over consecutive points.
double TrapezoidArea(std::span<const CurvePoint> points);

/// Average precision: the step sum over precision-recall points.
double AveragePrecision(std::span<const CurvePoint> pr_points);

/// At most `max_points` points tracing the same polyline: first drops inner
/// points that are collinear with their neighbours, then keeps evenly spaced
/// points (always the first and the last). REQUIRES: max_points >= 2.
std::vector<CurvePoint> DownsampleCurve(std::span<const CurvePoint> points, size_t max_points);

/// One bin of the reliability diagram.
struct CalibrationBin {
  double lo = 0, hi = 0;         // the bin's score range
  double mean_predicted = 0;     // weighted mean score
  double fraction_positive = 0;  // weighted share of label 1
  double weight = 0;             // total weight (the row count without weights)
};

/// Uniform bins over [0, 1]; non-empty bins only. Rows with a score outside
/// [0, 1] or a non-finite score, or a label other than 0/1, are ignored.
std::vector<CalibrationBin> CalibrationBins(std::span<const double> scores, std::span<const double> labels,
                                            std::span<const double> weights, int n_bins);

/// Up to `max_rows` row indices out of `n`, evenly spread and ascending
/// (all rows when n <= max_rows). Deterministic.
std::vector<size_t> SubsampleRows(size_t n, size_t max_rows);

/// Equal-width histogram of the finite values.
struct Histogram {
  double lo = 0, hi = 0;
  std::vector<double> counts;
  size_t clamped = 0;  // values outside [lo, hi] counted in the end bins
};

/// `tail` trims the range to the tail and 1 - tail quantiles (nearest rank)
/// so that a few outliers do not squeeze the rest into one bin; values
/// beyond are counted in the first or last bin. tail = 0: min to max.
Histogram MakeHistogram(std::span<const double> values, int n_bins, double tail = 0);

}  // namespace ember::report
