// Fills the run report (report/run_report.h) from what a run produced: the
// scored test frame, the metrics, the fitted stages and the lineage.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/context.h"
#include "frame/dataframe.h"
#include "ml/pipeline/pipeline.h"
#include "report/run_report.h"
#include "runner/label.h"
#include "runner/metrics.h"
#include "runner/model_insights.h"

namespace ember::runner {

struct ReportInputs {
  std::string title, run_id;
  Task task = Task::kBinary;
  const DataFrame* test_scored = nullptr;  // the test frame through the fitted pipeline
  const PipelineModel* model = nullptr;
  const LabelEncoding* label = nullptr;
  std::string weight_col;
  std::map<std::string, double> train_metrics, test_metrics;
  ModelInsights insights;  // of the last stage
  std::vector<std::pair<std::string, std::string>> lineage;
};

report::RunReport MakeRunReport(const ReportInputs& in, const Context& ctx);

}  // namespace ember::runner
