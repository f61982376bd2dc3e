// Moving runs from an ember tracking store into MLflow: as a directory in
// MLflow's file-store layout, or pushed to an MLflow tracking server over its
// REST API. Field-by-field mapping: docs/tracking.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "track/tracking_store.h"

namespace ember::track {

/// MLflow's RunStatus enum as written in a run's meta.yaml: RUNNING=1,
/// SCHEDULED=2, FINISHED=3, FAILED=4, KILLED=5.
int MlflowStatusCode(RunStatus status);

/// The MLflow experiment id of an ember experiment: ember's "Default" is
/// MLflow's experiment 0 ("Default" there too); the others keep their ember
/// id (1, 2, ...).
std::string MlflowExperimentId(const RunInfo& run);

/// Every tag MLflow gets for `run`: the run's own tags plus mlflow.runName,
/// mlflow.user, mlflow.source.name/type, mlflow.source.git.commit,
/// mlflow.parentRunId (given as `parent_id`, empty for none) and
/// ember.input.ROLE.{path,fingerprint,rows,size_bytes} for the lineage.
std::vector<std::pair<std::string, std::string>> MlflowTags(const TrackingStore& store, const RunInfo& run,
                                                            const std::string& parent_id);

/// A metric value the way MLflow's file store writes it (Python's str of a
/// float: "0.5", "1.0", "nan", "inf").
std::string MlflowNumber(double value);

/// A string as a YAML scalar, written the way PyYAML's safe_dump (MLflow's
/// writer) writes it: plain when that reads back as the same string,
/// single-quoted otherwise (double-quoted with escapes for control characters).
std::string YamlScalar(const std::string& s);

/// Writes `runs` under `dir` in MLflow's file-store layout: DIR/EXP/meta.yaml,
/// DIR/EXP/RUN/{meta.yaml, params/, metrics/, tags/, artifacts/}. A run that
/// is already there is replaced. Throws InvalidArgument when DIR/EXP holds a
/// different experiment, or a key is not a valid MLflow name; IoError naming
/// the path on write failures. Returns the number of runs written.
size_t ExportMlflowDir(const TrackingStore& store, const std::vector<RunInfo>& runs, const std::string& dir);

struct PushedRun {
  std::string ember_run_id;
  std::string mlflow_run_id;
};

/// MLflow's per-call limits of runs/log-batch.
inline constexpr size_t kMlflowBatchMetrics = 1000;
inline constexpr size_t kMlflowBatchParams = 100;
inline constexpr size_t kMlflowBatchTags = 100;

/// Pushes `runs` (oldest first, so parents precede children) to the MLflow
/// server at `url` ("http[s]://host:port" with an optional path prefix):
/// experiments/get-by-name or experiments/create, runs/create, runs/log-batch
/// within MLflow's batch limits, runs/update with the final status. Sends
/// MLFLOW_TRACKING_TOKEN as a bearer token, or MLFLOW_TRACKING_USERNAME and
/// MLFLOW_TRACKING_PASSWORD as basic auth, when set. Throws IoError naming the
/// URL and the endpoint when the server cannot be reached or refuses a call.
std::vector<PushedRun> PushMlflow(const TrackingStore& store, const std::vector<RunInfo>& runs,
                                  const std::string& url);

}  // namespace ember::track
