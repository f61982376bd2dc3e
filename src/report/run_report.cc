// Page assembly: validates the RunReport, computes the curves, and lays the
// sections out in one HTML document with inline CSS. Which sections appear
// depends only on which data is present (and on the task).
#include "report/run_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/version.h"
#include "report/curves.h"
#include "report/pipeline_diagram.h"
#include "report/plots.h"
#include "report/svg.h"

namespace ember::report {

namespace {

constexpr size_t kMaxCurvePoints = 500;
constexpr size_t kMaxScatterPoints = 2000;
constexpr size_t kTopFeatures = 20;
constexpr int kCalibrationBins = 10;

constexpr std::string_view kStyle = R"css(
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#f6f8fa;color:#24292f;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
header{background:#24292f;color:#fff;padding:20px 32px}
header h1{margin:0 0 4px;font-size:22px;font-weight:600}
header .meta{margin:0;color:#d0d7de;font-size:13px}
header code{color:#fff}
nav{padding:10px 32px;background:#fff;border-bottom:1px solid #d0d7de;font-size:13px}
nav a{color:#0969da;text-decoration:none;margin-right:16px}
main{max-width:1200px;margin:0 auto;padding:8px 32px 32px}
section{margin-top:24px}
h2{font-size:17px;font-weight:600;margin:0 0 10px;padding-bottom:4px;border-bottom:1px solid #d0d7de}
.cards{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
figure{margin:0;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px;width:min-content;max-width:100%;overflow-x:auto}
figcaption{font-size:12px;color:#57606a;margin-top:6px;min-width:100%}
svg.chart{display:block;font-family:inherit}
table{border-collapse:collapse;background:#fff;border:1px solid #d0d7de;font-size:13px}
th,td{padding:6px 12px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.key{font-weight:600;white-space:nowrap}
td.value{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;word-break:break-all;max-width:760px}
footer{max-width:1200px;margin:0 auto;padding:0 32px 24px;color:#6e7781;font-size:12px}
)css";

std::string Cell(const std::optional<double>& v) { return v ? EscapeHtml(FormatValue(*v)) : std::string("\u2014"); }

void Validate(const RunReport& r) {
  if (!r.task.empty() && r.task != "binary" && r.task != "multiclass" && r.task != "regression") {
    throw InvalidArgument(fmt::format("report: task '{}' is not one of binary, multiclass, regression", r.task));
  }
  if (r.labels.size() != r.scores.size() || (!r.weights.empty() && r.weights.size() != r.scores.size())) {
    throw InvalidArgument(fmt::format(
        "report: scores, labels and weights need one value per test row; got {} scores, {} labels, {} weights "
        "(weights may be empty)",
        r.scores.size(), r.labels.size(), r.weights.size()));
  }
  if (r.predicted.size() != r.actual.size()) {
    throw InvalidArgument(fmt::format("report: predicted and actual need one value per test row; got {} and {}",
                                      r.predicted.size(), r.actual.size()));
  }
  for (size_t i = 0; i < r.confusion.size(); ++i) {
    if (r.confusion[i].size() != r.confusion.size()) {
      throw InvalidArgument(fmt::format("report: the confusion matrix must be square; row {} has {} values, not {}", i,
                                        r.confusion[i].size(), r.confusion.size()));
    }
  }
}

struct Section {
  std::string id, heading, body;
};

std::string Figure(const std::string& svg, const std::string& caption) {
  return fmt::format("<figure>{}<figcaption>{}</figcaption></figure>", svg, caption);
}

std::string MetricsTable(const std::vector<MetricRow>& rows) {
  std::string out =
      "<table id=\"metrics\"><thead><tr><th>Metric</th><th class=\"num\">Train</th><th class=\"num\">Test</th></tr>"
      "</thead><tbody>";
  for (const MetricRow& m : rows) {
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>", EscapeHtml(m.name),
                       Cell(m.train), Cell(m.test));
  }
  return out + "</tbody></table>";
}

std::string LineageTable(const std::vector<std::pair<std::string, std::string>>& lineage) {
  std::string out = "<table id=\"lineage\"><tbody>";
  for (const auto& [key, value] : lineage) {
    out += fmt::format("<tr><td class=\"key\">{}</td><td class=\"value\">{}</td></tr>", EscapeHtml(key),
                       EscapeHtml(value));
  }
  return out + "</tbody></table>";
}

// Precision, recall, F1 and support per class from [actual][predicted] counts.
std::string PerClassTable(const std::vector<std::vector<double>>& m, const std::vector<std::string>& names) {
  const size_t k = m.size();
  std::string out =
      "<table id=\"per-class-metrics\"><thead><tr><th>Class</th><th class=\"num\">Precision</th>"
      "<th class=\"num\">Recall</th><th class=\"num\">F1</th><th class=\"num\">Support</th></tr></thead><tbody>";
  for (size_t c = 0; c < k; ++c) {
    double row = 0, column = 0;
    for (size_t j = 0; j < k; ++j) row += m[c][j];
    for (size_t i = 0; i < k; ++i) column += m[i][c];
    std::optional<double> precision, recall, f1;
    if (column > 0) precision = m[c][c] / column;
    if (row > 0) recall = m[c][c] / row;
    if (precision && recall) f1 = *precision + *recall > 0 ? 2 * *precision * *recall / (*precision + *recall) : 0;
    const std::string name = c < names.size() ? names[c] : std::to_string(c);
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td></tr>",
        EscapeHtml(name), Cell(precision), Cell(recall), Cell(f1), EscapeHtml(FormatValue(row)));
  }
  return out + "</tbody></table>";
}

std::string WithThousands(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// ROC, precision-recall and calibration figures of a binary test set.
std::string BinaryFigures(const RunReport& r) {
  const ThresholdSweep sweep = SweepThresholds(r.scores, r.labels, r.weights);
  const std::vector<CurvePoint> roc = RocPoints(sweep);
  const std::vector<CurvePoint> pr = PrecisionRecallPoints(sweep);
  std::string cards;
  if (!roc.empty()) {
    cards += Figure(RocChart(DownsampleCurve(roc, kMaxCurvePoints), TrapezoidArea(roc)),
                    fmt::format("ROC curve over {} test rows ({} distinct scores); AUC by the trapezoid rule.",
                                WithThousands(r.scores.size()), WithThousands(sweep.thresholds.size())));
  }
  if (!pr.empty()) {
    const double prevalence = sweep.positive_weight / (sweep.positive_weight + sweep.negative_weight);
    cards += Figure(PrecisionRecallChart(DownsampleCurve(pr, kMaxCurvePoints), AveragePrecision(pr), prevalence),
                    "Precision-recall curve; AP: average precision (step sum over recall increments); no skill: "
                    "the share of positives.");
  }
  // Scores outside [0, 1] are not probabilities: no reliability diagram then.
  const bool probabilities =
      std::all_of(r.scores.begin(), r.scores.end(), [](double s) { return !std::isfinite(s) || (s >= 0 && s <= 1); });
  const std::vector<CalibrationBin> bins = CalibrationBins(r.scores, r.labels, r.weights, kCalibrationBins);
  if (!bins.empty() && probabilities) {
    cards += Figure(CalibrationChart(bins),
                    fmt::format("Reliability diagram: {} equal-width bins of the predicted probability (empty bins "
                                "left out); bars: each bin's share of the rows.",
                                kCalibrationBins));
  }
  return cards;
}

// Residuals binned by sqrt(n) (5 to 40 bins) between their 0.5% and 99.5%
// quantiles, so that a few outliers do not squeeze the rest into one bar.
std::string ResidualFigure(const RunReport& r) {
  constexpr double kTail = 0.005;
  std::vector<double> residuals(r.predicted.size());
  for (size_t i = 0; i < residuals.size(); ++i) residuals[i] = r.actual[i] - r.predicted[i];
  const int bins = static_cast<int>(std::clamp<double>(std::sqrt(static_cast<double>(residuals.size())), 5, 40));
  const Histogram h = MakeHistogram(residuals, bins, kTail);
  std::string caption = fmt::format("Residuals of all {} test rows.", WithThousands(residuals.size()));
  if (h.clamped > 0) {
    caption += fmt::format(" The {} beyond the 0.5% and 99.5% quantiles are counted in the end bins.",
                           WithThousands(h.clamped));
  }
  return Figure(ResidualChart(h), caption);
}

std::vector<Section> BuildSections(const RunReport& r) {
  std::vector<Section> sections;
  if (!r.metrics.empty()) sections.push_back({"sec-metrics", "Metrics", MetricsTable(r.metrics)});
  if (r.task != "regression") {
    std::string cards;
    if (r.task != "multiclass" && !r.scores.empty()) cards += BinaryFigures(r);
    if (!r.confusion.empty()) {
      cards += Figure(ConfusionMatrixChart(r.confusion, r.class_names),
                      "Confusion matrix. Rows: actual class; columns: predicted class. Colour and percentage: share "
                      "of the actual class.");
      if (r.task == "multiclass" || r.confusion.size() > 2) cards += PerClassTable(r.confusion, r.class_names);
    }
    if (!cards.empty()) {
      sections.push_back({"sec-classification", "Test set", "<div class=\"cards\">" + cards + "</div>"});
    }
  }
  if (r.task != "binary" && r.task != "multiclass" && !r.predicted.empty()) {
    const std::vector<size_t> rows = SubsampleRows(r.predicted.size(), kMaxScatterPoints);
    const std::string shown = rows.size() < r.predicted.size()
                                  ? fmt::format("{} of {} test rows, evenly spaced.", WithThousands(rows.size()),
                                                WithThousands(r.predicted.size()))
                                  : fmt::format("All {} test rows.", WithThousands(rows.size()));
    sections.push_back({"sec-regression", "Test set",
                        "<div class=\"cards\">" + Figure(PredictedActualChart(r.predicted, r.actual, rows), shown) +
                            ResidualFigure(r) + "</div>"});
  }
  const bool has_loss =
      std::any_of(r.loss_history.begin(), r.loss_history.end(), [](const Series& s) { return !s.values.empty(); });
  if (has_loss) {
    sections.push_back({"sec-loss", "Loss per iteration",
                        "<div class=\"cards\">" +
                            Figure(LossChart(r.loss_history), "Loss after each iteration, one line per series.") +
                            "</div>"});
  }
  if (!r.feature_importance.empty()) {
    std::vector<std::pair<std::string, double>> top = r.feature_importance;
    // Largest magnitude first; names break ties so the order is reproducible.
    std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
      const double x = std::isfinite(a.second) ? std::abs(a.second) : -1;
      const double y = std::isfinite(b.second) ? std::abs(b.second) : -1;
      return x != y ? x > y : a.first < b.first;
    });
    if (top.size() > kTopFeatures) top.resize(kTopFeatures);
    const std::string caption = r.feature_importance.size() > kTopFeatures
                                    ? fmt::format("The {} largest of {} features, by magnitude.", kTopFeatures,
                                                  WithThousands(r.feature_importance.size()))
                                    : fmt::format("All {} features, by magnitude.", r.feature_importance.size());
    sections.push_back({"sec-importance", "Feature importance",
                        "<div class=\"cards\">" + Figure(FeatureImportanceChart(top), caption) + "</div>"});
  }
  if (!r.pipeline.empty()) {
    sections.push_back({"sec-pipeline", "Pipeline",
                        "<div class=\"cards\">" +
                            Figure(PipelineDiagram(r.pipeline),
                                   "Stages in fit order; estimators (fitted on the training data) are marked.") +
                            "</div>"});
  }
  if (!r.lineage.empty()) sections.push_back({"sec-lineage", "Lineage", LineageTable(r.lineage)});
  return sections;
}

}  // namespace

std::string RenderReportHtml(const RunReport& report) {
  Validate(report);
  const std::vector<Section> sections = BuildSections(report);
  const std::string title = report.title.empty() ? "ember run " + report.run_id : report.title;
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  out += fmt::format("<title>{}</title><style>{}</style></head><body>\n", EscapeHtml(title), kStyle);
  out += fmt::format("<header><h1>{}</h1><p class=\"meta\">", EscapeHtml(title));
  std::vector<std::string> meta;
  if (!report.run_id.empty()) meta.push_back(fmt::format("run <code>{}</code>", EscapeHtml(report.run_id)));
  if (!report.task.empty()) meta.push_back(fmt::format("task: {}", EscapeHtml(report.task)));
  for (size_t i = 0; i < meta.size(); ++i) out += (i ? " \u00b7 " : "") + meta[i];
  out += "</p></header>\n<nav>";
  for (const Section& s : sections) out += fmt::format("<a href=\"#{}\">{}</a>", s.id, EscapeHtml(s.heading));
  out += "</nav>\n<main>\n";
  for (const Section& s : sections) {
    out += fmt::format("<section id=\"{}\"><h2>{}</h2>{}</section>\n", s.id, EscapeHtml(s.heading), s.body);
  }
  out += fmt::format("</main>\n<footer>Written by ember {}.</footer>\n</body></html>\n", kVersion);
  return out;
}

void WriteReportHtml(const RunReport& report, const std::string& path) {
  WriteFileAtomically(path, RenderReportHtml(report));
}

}  // namespace ember::report
