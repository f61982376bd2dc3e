// `ember run`: one spec, end to end. Checks the spec against the input's
// schema before reading the data, then ingests, encodes the label, splits,
// fits (resuming from the stage cache), evaluates on test and train, saves
// the PipelineModel, writes the report and records everything in the
// tracking store; a failure ends the run FAILED with the error, Ctrl-C or
// kill ends it KILLED.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/context.h"
#include "runner/metrics.h"
#include "runner/pipeline_fit.h"
#include "runner/spec.h"
#include "track/tracking_store.h"

namespace ember::runner {

struct RunOptions {
  std::string store;  // --store; empty: the spec's, then $EMBER_TRACKING_URI, then ./ember-runs
  bool use_cache = true;
  uint64_t cache_bytes = kDefaultCacheBytes;
  /// Receives one line per step (stdout by default in the CLI).
  std::function<void(const std::string&)> say;
};

struct RunResult {
  track::RunInfo run;
  std::string store;
  Task task = Task::kBinary;
  std::map<std::string, double> test_metrics, train_metrics;
  std::vector<StageOutcome> stages;
  std::string model_dir;
  std::string report_path;
  std::optional<track::ModelVersion> registered;
};

/// Checks everything that can be checked before the data is read (the
/// spec's stages and params were checked by LoadSpec): the input exists, the
/// label and weight columns exist, and each stage finds its input columns.
/// Throws with the spec location of the fault.
void CheckSpecAgainstData(const RunSpec& spec, const Context& ctx);

/// Runs the spec. ctx.seed() is the seed unless the spec sets one.
RunResult RunJob(const RunSpec& spec, const RunOptions& options, const Context& ctx);

/// The cache folder of a store.
std::string CacheDirOf(const std::string& store_root);

}  // namespace ember::runner
