// The report's charts, each one inline <svg> element with a fixed id (the
// ids are what the page links to and what the browser test looks for).
// Inputs are already-computed points (see curves.h); every text is escaped.
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "report/curves.h"
#include "report/run_report.h"

namespace ember::report {

/// id "roc-curve": the ROC points, the chance diagonal, AUC in the legend.
std::string RocChart(std::span<const CurvePoint> points, double auc);

/// id "pr-curve": precision against recall and the no-skill line at the
/// positive share `prevalence`, average precision in the legend.
std::string PrecisionRecallChart(std::span<const CurvePoint> points, double average_precision, double prevalence);

/// id "calibration": the reliability diagram (fraction of positives against
/// mean predicted probability per bin), the diagonal, and each bin's share of
/// the rows as faint bars.
std::string CalibrationChart(std::span<const CalibrationBin> bins);

/// id "loss-history": one line per series against the iteration (1-based).
std::string LossChart(std::span<const Series> series);

/// id "confusion-matrix": counts as a heatmap coloured by the share of each
/// actual class (row); `class_names` may be shorter than the matrix (the
/// missing ones are shown as their index). REQUIRES: a square matrix.
std::string ConfusionMatrixChart(const std::vector<std::vector<double>>& matrix,
                                 std::span<const std::string> class_names);

/// id "feature-importance": horizontal bars in the given order.
std::string FeatureImportanceChart(std::span<const std::pair<std::string, double>> features);

/// id "predicted-vs-actual": a scatter of the rows `rows` (a subsample) and
/// the line y = x.
std::string PredictedActualChart(std::span<const double> predicted, std::span<const double> actual,
                                 std::span<const size_t> rows);

/// id "residuals": a histogram of the residuals (actual - predicted) and
/// the zero line.
std::string ResidualChart(const Histogram& residuals);

}  // namespace ember::report
