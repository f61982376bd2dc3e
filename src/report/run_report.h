// The run report: one self-contained HTML page (inline CSS and SVG, no
// scripts, fonts or images loaded from anywhere) that `ember run` writes
// beside every run. The runner fills a RunReport with what it has; every
// section whose data is absent is left out of the page.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ember::report {

/// One line of the metric table; a missing side prints as an em dash.
struct MetricRow {
  std::string name;
  std::optional<double> train, test;
};

/// One stage of the pipeline diagram.
struct StageBox {
  std::string stage_class;  // e.g. "StringIndexer"
  std::string uid;
  std::vector<std::string> inputs, outputs;  // column names
  bool estimator = false;                    // drawn with a distinct marker
};

/// A per-iteration curve, e.g. the training or the validation loss.
struct Series {
  std::string name;
  std::vector<double> values;  // one value per iteration
};

/// Everything the page can show. All fields are optional except that
/// `task` selects which plots apply: "binary", "multiclass" or "regression".
struct RunReport {
  std::string title, run_id, task;  // task: "binary", "multiclass", "regression"
  std::vector<MetricRow> metrics;
  std::vector<std::pair<std::string, std::string>> lineage;
  std::vector<StageBox> pipeline;
  /// Binary: P(class 1) and 0/1 labels on the test set (weights optional,
  /// same length when present). Drive the ROC, PR and calibration plots.
  std::vector<double> scores, labels, weights;
  std::vector<std::string> class_names;        // classification
  std::vector<std::vector<double>> confusion;  // [actual][predicted] counts
  std::vector<Series> loss_history;            // e.g. {"train", ...}, {"validation", ...}
  std::vector<std::pair<std::string, double>> feature_importance;
  std::vector<double> predicted, actual;  // regression, test set
};

/// Renders the page. Deterministic: the same report gives the same bytes
/// (the page holds no clock; a timestamp appears only if given in lineage).
/// All text from the report is HTML-escaped. Throws InvalidArgument when
/// paired vectors differ in length (scores/labels/weights,
/// predicted/actual) or `confusion` is not square.
std::string RenderReportHtml(const RunReport& report);

/// Renders and writes the page to `path` atomically (a reader never sees a
/// half-written file). Throws IoError / NotFound naming the path.
void WriteReportHtml(const RunReport& report, const std::string& path);

}  // namespace ember::report
