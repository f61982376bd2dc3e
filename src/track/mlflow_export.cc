// MLflow file-store export (see mlflow/store/tracking/file_store.py for the
// reader of this layout).
#include "track/mlflow_export.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/error.h"

namespace ember::track {

namespace fs = std::filesystem;

namespace {

}  // namespace

std::string YamlScalar(const std::string& s) {
  static const std::set<std::string> kReserved = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"};
  std::string lower = s;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  bool plain = !s.empty() && !kReserved.count(lower) &&
               (std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '/' || s[0] == '_') && s.back() != ' ' &&
               s.find(": ") == std::string::npos && s.find(" #") == std::string::npos;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/' || c == ':' ||
          c == ' ' || c == '\'')) {
      plain = false;
    }
  }
  if (plain) return s;
  bool control = false;
  for (char c : s) control |= static_cast<unsigned char>(c) < 0x20;
  if (control) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
      } else {
        out += c;
      }
    }
    return out + "\"";
  }
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

namespace {

// MLflow's rule for param, metric and tag names (mlflow/utils/validation.py):
// alphanumerics, underscores, periods, dashes, spaces and slashes, and no
// path that escapes its folder.
void RequireMlflowKey(const std::string& key, std::string_view what, const std::string& run_id) {
  bool ok = !key.empty() && key[0] != '/' && key.size() <= 250;
  for (char c : key) {
    ok &= std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == ' ' || c == '/';
  }
  for (const auto& part : fs::path(key)) ok &= part != ".." && part != ".";
  if (!ok) {
    throw InvalidArgument(fmt::format("{} '{}' of run {} is not a valid MLflow name (letters, digits, '_', '.', "
                                      "'-', ' ' and '/', no '..'); rename it before exporting",
                                      what, key, run_id));
  }
}

void WriteFile(const fs::path& path, const std::string& contents) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw IoError(fmt::format("cannot create directory {}: {}", path.parent_path().string(), ec.message()));
  WriteFileAtomically(path.string(), contents);
}

std::string FileUri(const fs::path& p) { return "file://" + p.string(); }

void WriteExperiment(const fs::path& exp_dir, const std::string& id, const ExperimentInfo& e) {
  const fs::path meta = exp_dir / "meta.yaml";
  if (fs::exists(meta)) {
    const std::string existing = ReadFileToString(meta.string());
    const std::string name_line = "\nname: " + YamlScalar(e.name) + "\n";
    if (existing.find(name_line) == std::string::npos) {
      throw InvalidArgument(fmt::format("{} already holds another MLflow experiment than '{}'; export into an "
                                        "empty directory",
                                        exp_dir.string(), e.name));
    }
  }
  WriteFile(meta, fmt::format("artifact_location: {}\ncreation_time: {}\nexperiment_id: {}\nlast_update_time: {}\n"
                              "lifecycle_stage: active\nname: {}\n",
                              YamlScalar(FileUri(exp_dir)), e.created_ms, YamlScalar(id), e.created_ms,
                              YamlScalar(e.name)));
}

void CopyArtifacts(const std::string& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to, ec);
  if (!ec && fs::is_directory(from)) {
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
  }
  if (ec) throw IoError(fmt::format("cannot copy artifacts {} to {}: {}", from, to.string(), ec.message()));
}

}  // namespace

int MlflowStatusCode(RunStatus status) {
  switch (status) {
    case RunStatus::kRunning:
      return 1;
    case RunStatus::kFinished:
      return 3;
    case RunStatus::kFailed:
      return 4;
    case RunStatus::kKilled:
      return 5;
  }
  return 1;
}

std::string MlflowExperimentId(const RunInfo& run) {
  return run.experiment_name == "Default" ? "0" : run.experiment_id;
}

std::string MlflowNumber(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{}", value);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::vector<std::pair<std::string, std::string>> MlflowTags(const TrackingStore& store, const RunInfo& run,
                                                            const std::string& parent_id) {
  const std::map<std::string, std::string> own = store.Tags(run.run_id);
  std::map<std::string, std::string> tags = own;
  tags["mlflow.runName"] = run.name;
  tags["mlflow.user"] = run.user;
  const auto source = own.find(std::string(kTagSourceName));
  tags["mlflow.source.name"] = source != own.end() ? source->second : "ember";
  tags["mlflow.source.type"] = "LOCAL";
  if (const auto git = own.find(std::string(kTagGitCommit)); git != own.end()) {
    tags["mlflow.source.git.commit"] = git->second;
  }
  if (!parent_id.empty()) tags["mlflow.parentRunId"] = parent_id;
  if (!run.error.empty()) tags["ember.error"] = run.error;
  for (const InputLineage& in : store.Inputs(run.run_id)) {
    const std::string prefix = "ember.input." + in.role + ".";
    tags[prefix + "path"] = in.path;
    tags[prefix + "fingerprint"] = in.fingerprint;
    tags[prefix + "rows"] = std::to_string(in.rows);
    tags[prefix + "size_bytes"] = std::to_string(in.size_bytes);
  }
  return {tags.begin(), tags.end()};
}

size_t ExportMlflowDir(const TrackingStore& store, const std::vector<RunInfo>& runs, const std::string& dir_in) {
  std::error_code ec;
  const fs::path dir = fs::absolute(dir_in, ec).lexically_normal();
  fs::create_directories(dir / ".trash", ec);
  if (ec) throw IoError(fmt::format("cannot create MLflow directory {}: {}", dir.string(), ec.message()));
  std::map<std::string, ExperimentInfo> experiments;
  for (const ExperimentInfo& e : store.ListExperiments()) experiments[e.experiment_id] = e;
  std::set<std::string> written_experiments;
  for (const RunInfo& run : runs) {
    const std::string exp_id = MlflowExperimentId(run);
    const fs::path exp_dir = dir / exp_id;
    if (written_experiments.insert(exp_id).second) WriteExperiment(exp_dir, exp_id, experiments.at(run.experiment_id));

    const fs::path run_dir = exp_dir / run.run_id;
    fs::remove_all(run_dir, ec);
    const std::string end_time = run.end_ms > 0 ? std::to_string(run.end_ms) : "null";
    WriteFile(run_dir / "meta.yaml",
              fmt::format("artifact_uri: {}\nend_time: {}\nentry_point_name: ''\nexperiment_id: {}\n"
                          "lifecycle_stage: active\nrun_id: {}\nrun_name: {}\nrun_uuid: {}\nsource_name: ''\n"
                          "source_type: 4\nsource_version: ''\nstart_time: {}\nstatus: {}\ntags: []\nuser_id: {}\n",
                          YamlScalar(FileUri(run_dir / "artifacts")), end_time, YamlScalar(exp_id), run.run_id,
                          YamlScalar(run.name), run.run_id, run.start_ms, MlflowStatusCode(run.status),
                          YamlScalar(run.user)));
    for (const auto& [key, value] : store.Params(run.run_id)) {
      RequireMlflowKey(key, "param", run.run_id);
      WriteFile(run_dir / "params" / key, value);
    }
    std::map<std::string, std::string> metric_files;
    for (const MetricPoint& p : store.MetricHistory(run.run_id)) {
      RequireMlflowKey(p.key, "metric", run.run_id);
      metric_files[p.key] += fmt::format("{} {} {}\n", p.timestamp_ms, MlflowNumber(p.value), p.step);
    }
    for (const auto& [key, lines] : metric_files) WriteFile(run_dir / "metrics" / key, lines);
    for (const auto& [key, value] : MlflowTags(store, run, run.parent_run_id)) {
      RequireMlflowKey(key, "tag", run.run_id);
      WriteFile(run_dir / "tags" / key, value);
    }
    fs::create_directories(run_dir / "params", ec);
    fs::create_directories(run_dir / "metrics", ec);
    CopyArtifacts(run.artifact_dir, run_dir / "artifacts");
  }
  return runs.size();
}

}  // namespace ember::track
