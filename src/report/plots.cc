#include "report/plots.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "report/svg.h"

namespace ember::report {

namespace {

constexpr double kSquareWidth = 440, kSquareHeight = 400;
const Stroke kReference{"#8c959f", 1.5, true};

std::vector<double> Xs(std::span<const CurvePoint> points) {
  std::vector<double> v;
  v.reserve(points.size());
  for (const CurvePoint& p : points) v.push_back(p.x);
  return v;
}

std::vector<double> Ys(std::span<const CurvePoint> points) {
  std::vector<double> v;
  v.reserve(points.size());
  for (const CurvePoint& p : points) v.push_back(p.y);
  return v;
}

ChartOptions UnitSquare(std::string id, std::string x_label, std::string y_label) {
  ChartOptions o;
  o.id = std::move(id);
  o.x_label = std::move(x_label);
  o.y_label = std::move(y_label);
  o.width = kSquareWidth;
  o.height = kSquareHeight;
  o.x_ticks = o.y_ticks = 5;
  return o;
}

// White to blue by `t` in [0, 1].
std::string HeatColor(double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  const auto mix = [t](int from, int to) { return static_cast<int>(std::lround(from + (to - from) * t)); };
  return fmt::format("#{:02x}{:02x}{:02x}", mix(0xf6, 0x1f), mix(0xf8, 0x5f), mix(0xfa, 0xa8));
}

std::string CountText(double v) {
  if (v == std::trunc(v) && std::abs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{:.4g}", v);
}

}  // namespace

std::string RocChart(std::span<const CurvePoint> points, double auc) {
  const Stroke model{std::string(SeriesColor(0)), 2.5, false};
  ChartOptions o = UnitSquare("roc-curve", "False positive rate", "True positive rate");
  o.legend = {{fmt::format("model (AUC {:.4f})", auc), model}, {"chance", kReference}};
  Chart chart(o);
  const double diagonal[] = {0, 1};
  chart.Line(diagonal, diagonal, kReference);
  chart.Line(Xs(points), Ys(points), model);
  return chart.Finish();
}

std::string PrecisionRecallChart(std::span<const CurvePoint> points, double average_precision, double prevalence) {
  const Stroke model{std::string(SeriesColor(0)), 2.5, false};
  ChartOptions o = UnitSquare("pr-curve", "Recall", "Precision");
  o.legend = {{fmt::format("model (AP {:.4f})", average_precision), model},
              {fmt::format("no skill ({:.4f})", prevalence), kReference}};
  Chart chart(o);
  const double xs[] = {0, 1}, ys[] = {prevalence, prevalence};
  chart.Line(xs, ys, kReference);
  chart.Line(Xs(points), Ys(points), model);
  return chart.Finish();
}

std::string CalibrationChart(std::span<const CalibrationBin> bins) {
  const std::string bar_color = "#b6c8dc";
  const Stroke model{std::string(SeriesColor(1)), 2, false};
  ChartOptions o = UnitSquare("calibration", "Mean predicted probability", "Fraction of positives");
  o.legend = {{"model", model}, {"perfectly calibrated", kReference}, {"share of rows", Stroke{bar_color, 8, false}}};
  Chart chart(o);
  double total = 0;
  for (const CalibrationBin& b : bins) total += b.weight;
  for (const CalibrationBin& b : bins) {
    // Bars are the bin's share of rows, drawn on the same 0..1 axis.
    chart.Rect(b.lo + 0.01, 0, b.hi - 0.01, total > 0 ? b.weight / total : 0, bar_color, 0.7);
  }
  const double diagonal[] = {0, 1};
  chart.Line(diagonal, diagonal, kReference);
  std::vector<double> xs, ys;
  std::vector<std::string> titles;
  for (const CalibrationBin& b : bins) {
    xs.push_back(b.mean_predicted);
    ys.push_back(b.fraction_positive);
    titles.push_back(fmt::format("scores {:.1f}-{:.1f}: mean {:.3f}, positives {:.3f}, weight {}", b.lo, b.hi,
                                 b.mean_predicted, b.fraction_positive, CountText(b.weight)));
  }
  chart.Line(xs, ys, model);
  chart.Points(xs, ys, model.color, 4, 1, titles);
  return chart.Finish();
}

std::string LossChart(std::span<const Series> series) {
  size_t n = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const Series& s : series) {
    n = std::max(n, s.values.size());
    for (double v : s.values) {
      if (!std::isfinite(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  ChartOptions o;
  o.id = "loss-history";
  o.x_label = "Iteration";
  o.y_label = "Loss";
  o.width = 600;
  o.height = 360;
  o.x_lo = n > 1 ? 1 : 0;
  o.x_hi = n > 1 ? static_cast<double>(n) : 2;
  o.x_ticks = static_cast<int>(std::clamp<size_t>(n > 1 ? n - 1 : 2, 2, 8));  // whole iterations
  o.extend_x = false;
  o.y_lo = lo <= hi ? lo : 0;
  o.y_hi = lo <= hi ? hi : 1;
  // Colours follow the series index; empty series get no legend entry.
  for (size_t i = 0; i < series.size(); ++i) {
    if (!series[i].values.empty()) o.legend.push_back({series[i].name, {std::string(SeriesColor(i)), 2}});
  }
  Chart chart(o);
  for (size_t i = 0; i < series.size(); ++i) {
    const Series& s = series[i];
    std::vector<double> xs(s.values.size());
    for (size_t k = 0; k < xs.size(); ++k) xs[k] = static_cast<double>(k + 1);
    const Stroke stroke{std::string(SeriesColor(i)), 2};
    chart.Line(xs, s.values, stroke);
  }
  return chart.Finish();
}

std::string ConfusionMatrixChart(const std::vector<std::vector<double>>& matrix,
                                 std::span<const std::string> class_names) {
  const size_t k = matrix.size();
  std::vector<std::string> names(k);
  for (size_t i = 0; i < k; ++i) names[i] = i < class_names.size() ? class_names[i] : std::to_string(i);
  const double cell = std::clamp(400.0 / std::max<size_t>(k, 1), 24.0, 84.0);
  const double font = std::clamp(cell / 4.5, 9.0, 13.0);
  double row_label = 0, col_label = 0;
  for (const std::string& name : names) {
    row_label = std::max(row_label, std::min(TextWidth(name, 12), 160.0));
    col_label = std::max(col_label, std::min(TextWidth(name, 12), 110.0));
  }
  const bool rotate = col_label > cell - 6;
  const double left = 34 + row_label + 8;
  const double top = 30 + (rotate ? col_label * 0.72 + 10 : 20);
  const double width = std::max(left + cell * k + 16 + (rotate ? col_label * 0.72 : 0), 260.0);
  const double height = top + cell * k + 16;
  std::string out = fmt::format(
      "<svg id=\"confusion-matrix\" class=\"chart\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"Confusion matrix\">",
      Coord(width), Coord(height));
  out += SvgText(left + cell * k / 2, 16, "Predicted", "middle", 12, "fill=\"#24292f\" font-weight=\"600\"");
  out += SvgText(0, 0, "Actual", "middle", 12,
                 fmt::format("fill=\"#24292f\" font-weight=\"600\" transform=\"translate(16 {}) rotate(-90)\"",
                             Coord(top + cell * k / 2)));
  for (size_t j = 0; j < k; ++j) {
    const std::string label = TruncateText(names[j], rotate ? 110 : cell - 4, 12);
    const double cx = left + cell * (j + 0.5);
    if (rotate) {
      out += SvgText(
          0, 0, label, "start", 12,
          fmt::format("fill=\"#57606a\" transform=\"translate({} {}) rotate(-45)\"", Coord(cx + 4), Coord(top - 6)));
    } else {
      out += SvgText(cx, top - 8, label, "middle", 12, "fill=\"#57606a\"");
    }
  }
  for (size_t i = 0; i < k; ++i) {
    double row_total = 0;
    for (double v : matrix[i]) row_total += v;
    const double y = top + cell * i;
    out += SvgText(left - 8, y + cell / 2 + 4, TruncateText(names[i], 160, 12), "end", 12, "fill=\"#57606a\"");
    for (size_t j = 0; j < k; ++j) {
      const double v = matrix[i][j];
      const double share = row_total > 0 ? v / row_total : 0;
      const double x = left + cell * j;
      out += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1\">"
          "<title>actual {}, predicted {}: {} ({:.1f}% of actual)</title></rect>",
          Coord(x), Coord(y), Coord(cell), Coord(cell), HeatColor(share), EscapeHtml(names[i]), EscapeHtml(names[j]),
          CountText(v), share * 100);
      const std::string fill = share > 0.55 ? "#ffffff" : "#24292f";
      const bool two_lines = cell >= 44;
      out += SvgText(x + cell / 2, y + cell / 2 + (two_lines ? -2 : font / 3), CountText(v), "middle", font,
                     fmt::format("fill=\"{}\"", fill));
      if (two_lines) {
        out += SvgText(x + cell / 2, y + cell / 2 + font + 1, fmt::format("{:.1f}%", share * 100), "middle", font - 2,
                       fmt::format("fill=\"{}\" fill-opacity=\"0.8\"", fill));
      }
    }
  }
  out += "</svg>";
  return out;
}

std::string FeatureImportanceChart(std::span<const std::pair<std::string, double>> features) {
  constexpr double kRow = 22, kFont = 12, kLabelMax = 200, kValueRoom = 64, kWidth = 640;
  double label = 0, lo = 0, hi = 0;
  for (const auto& [name, value] : features) {
    label = std::max(label, std::min(TextWidth(name, kFont), kLabelMax));
    if (std::isfinite(value)) {
      lo = std::min(lo, value);
      hi = std::max(hi, value);
    }
  }
  if (hi == lo) hi = lo + 1;
  const double left = 16 + label + 8, right = kWidth - kValueRoom, top = 12;
  const double height = top + kRow * features.size() + 34;
  const Ticks ticks = NiceTicks(lo, hi, 5, false);
  const auto x = [&](double v) { return left + (v - lo) / (hi - lo) * (right - left); };
  std::string out = fmt::format(
      "<svg id=\"feature-importance\" class=\"chart\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"Feature importance\">",
      Coord(kWidth), Coord(height));
  const double axis_y = top + kRow * features.size() + 4;
  out += "<g stroke=\"#e5e8eb\">";
  for (double t : ticks.values) {
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", Coord(x(t)), Coord(top), Coord(axis_y));
  }
  out += "</g><g fill=\"#57606a\">";
  for (double t : ticks.values) out += SvgText(x(t), axis_y + 16, FormatTick(t, ticks), "middle", 11);
  out += "</g>";
  for (size_t i = 0; i < features.size(); ++i) {
    const auto& [name, value] = features[i];
    const double y = top + kRow * i;
    const double v = std::isfinite(value) ? value : 0;
    const double x0 = std::min(x(0), x(v)), x1 = std::max(x(0), x(v));
    out += fmt::format("<g><title>{}: {}</title>", EscapeHtml(name), EscapeHtml(FormatValue(value)));
    out += SvgText(left - 8, y + kRow / 2 + 4, TruncateText(name, kLabelMax, kFont), "end", kFont, "fill=\"#24292f\"");
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"{}\"/>", Coord(x0),
                       Coord(y + 3), Coord(std::max(x1 - x0, 0.5)), Coord(kRow - 6), SeriesColor(0));
    const std::string shown = std::isfinite(value) ? fmt::format("{:.4g}", value) : FormatValue(value);
    out += SvgText(x1 + 6, y + kRow / 2 + 4, shown, "start", 11, "fill=\"#57606a\"");
    out += "</g>";
  }
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#8c959f\"/>", Coord(x(0)), Coord(top),
                     Coord(axis_y));
  out += "</svg>";
  return out;
}

std::string PredictedActualChart(std::span<const double> predicted, std::span<const double> actual,
                                 std::span<const size_t> rows) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  std::vector<double> xs, ys;
  xs.reserve(rows.size());
  ys.reserve(rows.size());
  for (size_t r : rows) {
    if (!std::isfinite(predicted[r]) || !std::isfinite(actual[r])) continue;
    xs.push_back(actual[r]);
    ys.push_back(predicted[r]);
    lo = std::min({lo, actual[r], predicted[r]});
    hi = std::max({hi, actual[r], predicted[r]});
  }
  if (!(lo <= hi)) lo = 0, hi = 1;
  ChartOptions o = UnitSquare("predicted-vs-actual", "Actual", "Predicted");
  o.x_lo = o.y_lo = lo;
  o.x_hi = o.y_hi = hi;
  const Stroke color{std::string(SeriesColor(0)), 0, false};
  o.legend = {{"test rows", color, true}, {"predicted = actual", kReference}};
  Chart chart(o);
  chart.Points(xs, ys, color.color, 2.5, 0.45);
  const double diagonal[] = {lo, hi};
  chart.Line(diagonal, diagonal, kReference);
  return chart.Finish();
}

std::string ResidualChart(const Histogram& h) {
  double top = 1;
  for (double c : h.counts) top = std::max(top, c);
  ChartOptions o;
  o.id = "residuals";
  o.x_label = "Residual (actual \u2212 predicted)";
  o.y_label = "Rows";
  o.width = kSquareWidth;
  o.height = kSquareHeight;
  o.x_lo = std::min(h.lo, 0.0);
  o.x_hi = std::max(h.hi, 0.0);
  o.y_lo = 0;
  o.y_hi = top;
  o.x_ticks = o.y_ticks = 5;
  const Stroke zero{"#e45756", 1.5, true};
  o.legend = {{"rows per bin", Stroke{"#4c78a8", 8, false}}, {"zero residual", zero}};
  Chart chart(o);
  const double width = h.counts.empty() ? 0 : (h.hi - h.lo) / h.counts.size();
  for (size_t b = 0; b < h.counts.size(); ++b) {
    if (h.counts[b] > 0) chart.Rect(h.lo + width * b, 0, h.lo + width * (b + 1), h.counts[b], "#4c78a8", 0.85);
  }
  const double xs[] = {0, 0}, ys[] = {0, top * 2};
  chart.Line(xs, ys, zero);
  return chart.Finish();
}

}  // namespace ember::report
