// The tracking store: experiments, runs, params, metrics, tags, input
// lineage and the model registry, kept in one SQLite database (WAL mode)
// beside an artifact folder. Many processes may log to one store at once.
// Layout, schema and crash behaviour: docs/tracking.md.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ember::track {

/// Life cycle of a run. A run starts RUNNING and ends exactly once.
enum class RunStatus { kRunning, kFinished, kFailed, kKilled };

/// "RUNNING", "FINISHED", "FAILED", "KILLED".
std::string_view RunStatusName(RunStatus status);
/// Inverse of RunStatusName (case-insensitive). Throws InvalidArgument
/// listing the valid names.
RunStatus ParseRunStatus(std::string_view name);

/// Tags the runner sets and `ember runs export` maps onto MLflow's
/// `mlflow.source.*` tags.
inline constexpr std::string_view kTagSourceName = "ember.source.name";    // the spec file
inline constexpr std::string_view kTagGitCommit = "ember.git.commit";      // 40 hex digits
inline constexpr std::string_view kTagGitDirty = "ember.git.dirty";        // "true" / "false"

/// One input of a run, as read.
struct InputLineage {
  std::string role;  // "train", "test", ...
  std::string path;
  uint64_t size_bytes = 0;
  std::string fingerprint;  // xxhash64 of the file bytes, 16 hex digits (core/hash.h)
  std::string schema_json;
  int64_t rows = 0;
};

struct RunInfo {
  std::string run_id;  // 32 lowercase hex digits
  std::string experiment_id;
  std::string experiment_name;
  std::string name;
  RunStatus status = RunStatus::kRunning;
  int64_t start_ms = 0, end_ms = 0;  // milliseconds since the Unix epoch; end 0 while running
  std::string user, host;
  int64_t pid = 0;
  std::string parent_run_id;  // empty for a top-level run
  std::string artifact_dir;   // absolute: root/artifacts/<run_id>
  std::string error;          // why a FAILED/KILLED run ended
};

struct ExperimentInfo {
  std::string experiment_id;  // "1", "2", ... in creation order
  std::string name;
  int64_t created_ms = 0;
};

struct MetricPoint {
  std::string key;
  double value = 0;
  int64_t step = 0;
  int64_t timestamp_ms = 0;  // 0 when logging = now
};

/// Which runs ListRuns returns; empty fields do not filter.
struct RunFilter {
  std::string experiment;          // experiment name
  std::string tag_key, tag_value;  // runs with this tag set to this value
  /// "auc>0.8" or "metric.auc>0.8": the run's latest value of the metric
  /// compared with >, >=, <, <=, =, != against a number.
  std::string metric;
  size_t limit = 0;  // 0 = all
};

struct ModelVersion {
  std::string name;
  int64_t version = 0;  // 1, 2, ... per name
  std::string run_id;
  std::string path;  // absolute model directory: the run's artifact dir / model_subpath
  std::string description;
  std::map<std::string, std::string> tags;
  std::vector<std::string> aliases;  // sorted
  int64_t created_ms = 0;
};

/// Where the store lives: `explicit_location` if not empty, else
/// $EMBER_TRACKING_URI (a path, or file:// URI), else ./ember-runs.
std::string ResolveStoreLocation(const std::string& explicit_location);

/// A connection to one store. Movable, not copyable; not thread-safe (open one
/// per thread). Every write is its own transaction (or one per batch call), so
/// concurrent processes see each other's complete writes and nothing else.
/// Errors: NotFound for unknown runs/models (listing what exists),
/// InvalidArgument for bad values, IoError / CorruptData naming the file.
class TrackingStore {
 public:
  /// Opens (creating if needed) root/, root/ember.db and root/artifacts/.
  /// Marks RUNNING runs of this host whose process is gone KILLED.
  /// Throws IoError naming root when it cannot be created or written,
  /// CorruptData naming ember.db when it is not an ember store or is from a
  /// newer ember (the file is never modified then).
  static TrackingStore Open(const std::string& root);
  ~TrackingStore();
  TrackingStore(TrackingStore&&) noexcept;
  TrackingStore& operator=(TrackingStore&&) noexcept;

  /// Absolute path of the store directory.
  std::string root() const;

  /// Starts a RUNNING run owned by this process (user, host, pid recorded).
  /// The experiment is created on first use; empty means "Default".
  /// REQUIRES: parent_run_id empty or an existing run.
  RunInfo CreateRun(const std::string& experiment, const std::string& run_name,
                    const std::string& parent_run_id = "");

  /// Params are immutable: logging the same value again is fine, a different
  /// value throws InvalidArgument naming the key and both values.
  void LogParam(const std::string& run_id, const std::string& key, const std::string& value);
  /// All in one transaction: either every param is logged or none.
  void LogParams(const std::string& run_id, const std::vector<std::pair<std::string, std::string>>& params);

  void LogMetric(const std::string& run_id, const std::string& key, double value, int64_t step = 0);
  /// All in one transaction; a point with timestamp_ms 0 gets the current time.
  void LogMetrics(const std::string& run_id, const std::vector<MetricPoint>& points);

  /// Tags are mutable: the last value wins.
  void SetTag(const std::string& run_id, const std::string& key, const std::string& value);
  void SetTags(const std::string& run_id, const std::vector<std::pair<std::string, std::string>>& tags);

  /// Records one input; the same role twice replaces the earlier record.
  void LogInput(const std::string& run_id, const InputLineage& input);

  /// root/artifacts/<run_id>, created on first call.
  std::string ArtifactDir(const std::string& run_id) const;

  /// Ends a RUNNING run with FINISHED, FAILED or KILLED and the end time.
  /// Ending an already ended run throws InvalidArgument.
  void EndRun(const std::string& run_id, RunStatus status, const std::string& error = "");

  /// A run by full id or unique prefix (at least 4 hex digits). NotFound when
  /// none matches; InvalidArgument listing the candidates when several do.
  RunInfo GetRun(const std::string& run_id_or_unique_prefix) const;
  /// Newest first.
  std::vector<RunInfo> ListRuns(const RunFilter& filter) const;
  std::vector<ExperimentInfo> ListExperiments() const;

  std::map<std::string, std::string> Params(const std::string& run_id) const;
  std::map<std::string, std::string> Tags(const std::string& run_id) const;
  /// Points of one key (all keys when empty) ordered by key, step, timestamp.
  std::vector<MetricPoint> MetricHistory(const std::string& run_id, const std::string& key = "") const;
  /// Per key, the value at the highest step (latest timestamp among equals).
  std::map<std::string, double> LatestMetrics(const std::string& run_id) const;
  std::vector<InputLineage> Inputs(const std::string& run_id) const;

  /// Params and latest metrics of one run.
  struct RunValues {
    std::map<std::string, std::string> params;
    std::map<std::string, double> metrics;
  };
  /// RunValues of each of `run_ids` (same order), read with two reused
  /// statements: for tables of thousands of runs. Unknown ids get empty maps.
  std::vector<RunValues> ValuesOf(const std::vector<std::string>& run_ids) const;

  /// Deletes the run, its records and its artifact folder. A run that has
  /// registered model versions cannot be deleted (InvalidArgument naming them).
  void DeleteRun(const std::string& run_id);

  // --- model registry ---

  /// Registers the run's artifact subdirectory as the next version of `name`
  /// (1 for a new name). Concurrent registrations get distinct versions.
  /// Throws NotFound when the run or the model directory does not exist.
  ModelVersion RegisterModel(const std::string& name, const std::string& run_id,
                             const std::string& model_subpath = "model", const std::string& description = "");
  /// Points `alias` at `version`, moving it from any other version. "latest"
  /// is reserved (always the highest version). Alias: letters, digits, _ and -.
  void SetAlias(const std::string& name, const std::string& alias, int64_t version);
  void DeleteAlias(const std::string& name, const std::string& alias);
  void SetModelVersionTag(const std::string& name, int64_t version, const std::string& key, const std::string& value);
  /// One version; NotFound lists the versions of `name` (or the model names).
  ModelVersion GetModelVersion(const std::string& name, int64_t version) const;
  /// The version behind `alias` ("latest" included); NotFound lists the aliases.
  ModelVersion GetModelVersionByAlias(const std::string& name, const std::string& alias) const;
  /// Ascending version order; NotFound listing the models when none.
  std::vector<ModelVersion> ListModelVersions(const std::string& name) const;
  /// Registered model names, sorted.
  std::vector<std::string> ListModels() const;

  /// "models:/NAME@ALIAS", "models:/NAME/VERSION", "models:/NAME" (= latest)
  /// -> the model directory; any other string is returned unchanged.
  std::string ResolveModelUri(const std::string& uri) const;

 private:
  struct Impl;
  explicit TrackingStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// True for "models:/..." strings.
bool IsModelUri(std::string_view uri);

/// While alive, SIGINT/SIGTERM end `run_id` KILLED in the store at `root`
/// (from a watcher thread woken through a self-pipe, not from the handler),
/// then the process exits with 130 (SIGINT) or 143 (SIGTERM). The previous
/// handlers are restored on destruction. One guard per process at a time.
class RunInterruptGuard {
 public:
  RunInterruptGuard(const std::string& root, const std::string& run_id);
  ~RunInterruptGuard();
  RunInterruptGuard(const RunInterruptGuard&) = delete;
  RunInterruptGuard& operator=(const RunInterruptGuard&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ember::track
