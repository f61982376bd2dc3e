// The text behind `ember runs ...` and `ember models ...`, separate from the
// command-line wiring so that tests can check it directly.
#pragma once

#include <string>
#include <vector>

#include "track/tracking_store.h"

namespace ember::cli {

/// Options of `ember runs list`.
struct RunListOptions {
  std::string experiment;
  std::string filter;  // "metric.auc>0.8"
  std::string tag;     // "key=value"
  size_t limit = 0;
  size_t max_params = 4;   // key params: those whose values differ between the listed runs
  size_t max_metrics = 6;  // latest values, keys in sorted order
};

/// The RunFilter for the options; InvalidArgument for a tag without '='.
track::RunFilter MakeRunFilter(const RunListOptions& options);

/// A table of runs (newest first) with their key params and latest metrics.
std::string FormatRunList(const track::TrackingStore& store, const std::vector<track::RunInfo>& runs,
                          const RunListOptions& options);
/// Everything about one run: info, lineage, params, metrics, tags, artifacts.
std::string FormatRunDetails(const track::TrackingStore& store, const track::RunInfo& run);
/// Params and latest metrics side by side, one column per run; rows whose
/// values differ are marked with '*'.
std::string FormatRunComparison(const track::TrackingStore& store, const std::vector<track::RunInfo>& runs);
/// Registered models: name, versions, latest, aliases.
std::string FormatModelList(const track::TrackingStore& store);
/// The versions of one model.
std::string FormatModelVersions(const std::vector<track::ModelVersion>& versions);

/// "2026-11-25 18:02:03" (UTC) for milliseconds since the epoch.
std::string FormatTimeUtc(int64_t ms);
/// "1.2s", "3m04s", "2h05m"; "-" when not ended.
std::string FormatDuration(int64_t start_ms, int64_t end_ms);

}  // namespace ember::cli
