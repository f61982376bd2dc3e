// The pipeline as a diagram: one box per stage, top to bottom in fit order,
// joined by arrows. A box shows the stage class, its uid, and its input and
// output columns (long lists are wrapped and then cut with "+N more");
// estimators carry an "estimator" badge and a coloured border.
#pragma once

#include <span>
#include <string>

#include "report/run_report.h"

namespace ember::report {

/// id "pipeline-diagram". Empty string when there is no stage.
std::string PipelineDiagram(std::span<const StageBox> stages);

}  // namespace ember::report
