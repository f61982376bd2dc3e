#include "report/curves.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.h"

namespace ember::report {

namespace {

void CheckLengths(std::span<const double> scores, std::span<const double> labels, std::span<const double> weights) {
  if (labels.size() != scores.size() || (!weights.empty() && weights.size() != scores.size())) {
    throw InvalidArgument(fmt::format(
        "report: scores, labels and weights must have one value per row; got {} scores, {} labels, {} weights "
        "(weights may also be empty)",
        scores.size(), labels.size(), weights.size()));
  }
}

bool UsableRow(double score, double label, double weight) {
  return std::isfinite(score) && (label == 0 || label == 1) && std::isfinite(weight) && weight >= 0;
}

}  // namespace

ThresholdSweep SweepThresholds(std::span<const double> scores, std::span<const double> labels,
                               std::span<const double> weights) {
  CheckLengths(scores, labels, weights);
  const auto weight = [&](size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  std::vector<size_t> order;
  order.reserve(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) {
    if (UsableRow(scores[i], labels[i], weight(i))) order.push_back(i);
  }
  // Descending score; ties keep row order so the sums below are reproducible.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  ThresholdSweep sweep;
  double tp = 0, fp = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t i = order[k];
    (labels[i] == 1 ? tp : fp) += weight(i);
    if (k + 1 == order.size() || scores[order[k + 1]] != scores[i]) {
      sweep.thresholds.push_back(scores[i]);
      sweep.true_positive.push_back(tp);
      sweep.false_positive.push_back(fp);
    }
  }
  sweep.positive_weight = tp;
  sweep.negative_weight = fp;
  return sweep;
}

std::vector<CurvePoint> RocPoints(const ThresholdSweep& sweep) {
  std::vector<CurvePoint> points;
  if (!(sweep.positive_weight > 0) || !(sweep.negative_weight > 0)) return points;
  points.reserve(sweep.thresholds.size() + 1);
  points.push_back({0, 0, std::numeric_limits<double>::infinity()});
  for (size_t k = 0; k < sweep.thresholds.size(); ++k) {
    points.push_back({sweep.false_positive[k] / sweep.negative_weight, sweep.true_positive[k] / sweep.positive_weight,
                      sweep.thresholds[k]});
  }
  return points;
}

std::vector<CurvePoint> PrecisionRecallPoints(const ThresholdSweep& sweep) {
  std::vector<CurvePoint> points;
  if (!(sweep.positive_weight > 0)) return points;
  points.reserve(sweep.thresholds.size() + 1);
  points.push_back({0, 1, std::numeric_limits<double>::infinity()});
  for (size_t k = 0; k < sweep.thresholds.size(); ++k) {
    const double tp = sweep.true_positive[k], predicted = tp + sweep.false_positive[k];
    points.push_back({tp / sweep.positive_weight, predicted > 0 ? tp / predicted : 0, sweep.thresholds[k]});
  }
  return points;
}

double TrapezoidArea(std::span<const CurvePoint> points) {
  double area = 0;
  for (size_t k = 1; k < points.size(); ++k) {
    area += (points[k].x - points[k - 1].x) * (points[k].y + points[k - 1].y) / 2;
  }
  return area;
}

double AveragePrecision(std::span<const CurvePoint> pr_points) {
  double ap = 0;
  for (size_t k = 1; k < pr_points.size(); ++k) ap += (pr_points[k].x - pr_points[k - 1].x) * pr_points[k].y;
  return ap;
}

std::vector<CurvePoint> DownsampleCurve(std::span<const CurvePoint> points, size_t max_points) {
  max_points = std::max<size_t>(max_points, 2);
  std::vector<CurvePoint> kept;
  kept.reserve(std::min(points.size(), max_points * 4));
  for (size_t k = 0; k < points.size(); ++k) {
    if (k > 0 && k + 1 < points.size() && !kept.empty()) {
      const CurvePoint& a = kept.back();
      const CurvePoint& b = points[k];
      const CurvePoint& c = points[k + 1];
      const double cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
      const double dot = (b.x - a.x) * (c.x - b.x) + (b.y - a.y) * (c.y - b.y);
      if (std::abs(cross) <= 1e-12 && dot >= 0) continue;  // on the segment a-c, same direction
    }
    kept.push_back(points[k]);
  }
  if (kept.size() <= max_points) return kept;
  std::vector<CurvePoint> out;
  out.reserve(max_points);
  const size_t n = kept.size();
  for (size_t j = 0; j < max_points; ++j) {
    // Index j * (n - 1) / (max_points - 1), exact in integers.
    out.push_back(kept[j * (n - 1) / (max_points - 1)]);
  }
  return out;
}

std::vector<CalibrationBin> CalibrationBins(std::span<const double> scores, std::span<const double> labels,
                                            std::span<const double> weights, int n_bins) {
  CheckLengths(scores, labels, weights);
  if (n_bins < 1) throw InvalidArgument(fmt::format("report: calibration needs at least 1 bin, got {}", n_bins));
  // Edges as numpy.linspace(0, 1, n_bins + 1) computes them: i * (1 / n_bins).
  const double step = 1.0 / n_bins;
  std::vector<double> sum_score(n_bins), sum_positive(n_bins), sum_weight(n_bins);
  for (size_t i = 0; i < scores.size(); ++i) {
    const double s = scores[i], w = weights.empty() ? 1.0 : weights[i];
    if (!UsableRow(s, labels[i], w) || s < 0 || s > 1) continue;
    // numpy.searchsorted(inner_edges, s, side="left"): inner edges below s.
    int bin = std::min(n_bins - 1, static_cast<int>(s / step));
    while (bin > 0 && bin * step >= s) --bin;
    while (bin + 1 < n_bins && (bin + 1) * step < s) ++bin;
    sum_score[bin] += w * s;
    sum_positive[bin] += w * labels[i];
    sum_weight[bin] += w;
  }
  std::vector<CalibrationBin> bins;
  for (int b = 0; b < n_bins; ++b) {
    if (!(sum_weight[b] > 0)) continue;
    bins.push_back({b * step, b + 1 == n_bins ? 1.0 : (b + 1) * step, sum_score[b] / sum_weight[b],
                    sum_positive[b] / sum_weight[b], sum_weight[b]});
  }
  return bins;
}

std::vector<size_t> SubsampleRows(size_t n, size_t max_rows) {
  std::vector<size_t> rows;
  if (n <= max_rows) {
    rows.resize(n);
    std::iota(rows.begin(), rows.end(), size_t{0});
    return rows;
  }
  rows.reserve(max_rows);
  // Row floor(j * n / max_rows): strictly increasing because n > max_rows.
  for (size_t j = 0; j < max_rows; ++j) {
    rows.push_back(static_cast<size_t>((static_cast<unsigned __int128>(j) * n) / max_rows));
  }
  return rows;
}

Histogram MakeHistogram(std::span<const double> values, int n_bins, double tail) {
  Histogram h;
  std::vector<double> finite;
  finite.reserve(values.size());
  for (double v : values) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  if (finite.empty()) return h;
  std::sort(finite.begin(), finite.end());
  const size_t last = finite.size() - 1;
  tail = std::clamp(tail, 0.0, 0.5);
  double lo = finite[static_cast<size_t>(std::floor(tail * last))];
  double hi = finite[static_cast<size_t>(std::ceil((1 - tail) * last))];
  if (lo == hi) {
    const double pad = lo == 0 ? 0.5 : std::abs(lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  n_bins = std::max(n_bins, 1);
  h.lo = lo;
  h.hi = hi;
  h.counts.assign(n_bins, 0);
  const double width = (hi - lo) / n_bins;
  for (double v : finite) {
    if (v < lo || v > hi) ++h.clamped;
    const int b = static_cast<int>(std::clamp(std::floor((v - lo) / width), 0.0, n_bins - 1.0));
    h.counts[b] += 1;
  }
  return h;
}

}  // namespace ember::report
