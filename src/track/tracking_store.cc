// Runs: creation, params, metrics, tags, lineage, queries and deletion.
#include "track/tracking_store.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"
#include "track/process_identity.h"
#include "track/store_impl.h"

namespace ember::track {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kStatusNames[] = {"RUNNING", "FINISHED", "FAILED", "KILLED"};

bool IsHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

void RequireKey(std::string_view what, const std::string& key) {
  if (key.empty()) throw InvalidArgument(fmt::format("{} key is empty; give it a name", what));
}

// Columns of runs read by every RunInfo query, in ReadRun's order.
constexpr const char* kRunColumns =
    "r.run_id, r.experiment_id, e.name, r.name, r.status, r.start_ms, r.end_ms, r.user, r.host, r.pid, "
    "r.parent_run_id, r.error";

RunInfo ReadRun(const Statement& s, const std::string& artifacts_root) {
  RunInfo r;
  r.run_id = s.ColumnText(0);
  r.experiment_id = std::to_string(s.ColumnInt(1));
  r.experiment_name = s.ColumnText(2);
  r.name = s.ColumnText(3);
  r.status = ParseRunStatus(s.ColumnText(4));
  r.start_ms = s.ColumnInt(5);
  r.end_ms = s.ColumnInt(6);
  r.user = s.ColumnText(7);
  r.host = s.ColumnText(8);
  r.pid = s.ColumnInt(9);
  r.parent_run_id = s.ColumnText(10);
  r.error = s.ColumnText(11);
  r.artifact_dir = artifacts_root + "/" + r.run_id;
  return r;
}

struct MetricCondition {
  std::string key;
  std::string op;
  double value = 0;
};

MetricCondition ParseMetricCondition(const std::string& text) {
  static const std::regex pattern(R"(^\s*(?:metrics?\.)?([^<>=!\s]+)\s*(>=|<=|!=|==|=|>|<)\s*(\S+)\s*$)");
  std::smatch m;
  MetricCondition c;
  if (!std::regex_match(text, m, pattern)) {
    throw InvalidArgument(fmt::format("metric filter '{}' is not KEY OP NUMBER; valid examples: "
                                      "\"metric.auc>0.8\", \"rmse<=3\", \"loss!=0\"",
                                      text));
  }
  c.key = m[1].str();
  c.op = m[2].str() == "==" ? "=" : m[2].str();
  const std::string number = m[3].str();
  char* end = nullptr;
  c.value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size()) {
    throw InvalidArgument(fmt::format("metric filter '{}': '{}' is not a number", text, number));
  }
  return c;
}

}  // namespace

std::string_view RunStatusName(RunStatus status) { return kStatusNames[static_cast<int>(status)]; }

RunStatus ParseRunStatus(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    const std::string_view n = kStatusNames[i];
    if (n.size() == name.size() &&
        std::equal(n.begin(), n.end(), name.begin(),
                   [](char a, char b) { return a == std::toupper(static_cast<unsigned char>(b)); })) {
      return static_cast<RunStatus>(i);
    }
  }
  throw InvalidArgument(fmt::format("unknown run status '{}'; valid: RUNNING, FINISHED, FAILED, KILLED", name));
}

bool IsModelUri(std::string_view uri) { return uri.rfind("models:/", 0) == 0; }

void TrackingStore::Impl::RequireRun(const std::string& run_id) {
  Statement s = db.Prepare("SELECT 1 FROM runs WHERE run_id = ?");
  s.Bind(1, run_id);
  if (!s.Step()) {
    throw NotFound(fmt::format("no run '{}' in tracking store {}; `ember runs list --store {}` lists the runs",
                               run_id, root, root));
  }
}

RunInfo TrackingStore::CreateRun(const std::string& experiment_in, const std::string& run_name,
                                 const std::string& parent_run_id) {
  const std::string experiment = experiment_in.empty() ? "Default" : experiment_in;
  Database& db = impl_->db;
  RunInfo info;
  info.run_id = NewRunId();
  info.experiment_name = experiment;
  info.name = run_name.empty() ? info.run_id.substr(0, 8) : run_name;
  info.status = RunStatus::kRunning;
  info.start_ms = NowMs();
  info.user = ThisUser();
  info.host = ThisHost();
  info.pid = ::getpid();
  info.parent_run_id = parent_run_id;
  info.artifact_dir = impl_->ArtifactsRoot() + "/" + info.run_id;

  WriteTransaction tx(db);
  if (!parent_run_id.empty()) impl_->RequireRun(parent_run_id);
  {
    Statement s = db.Prepare("INSERT OR IGNORE INTO experiments (name, created_ms) VALUES (?, ?)");
    s.Bind(1, experiment).Bind(2, info.start_ms).Run();
  }
  {
    Statement s = db.Prepare("SELECT experiment_id FROM experiments WHERE name = ?");
    s.Bind(1, experiment);
    EMBER_CHECK(s.Step(), "experiment {} missing after insert", experiment);
    info.experiment_id = std::to_string(s.ColumnInt(0));
  }
  Statement s = db.Prepare(
      "INSERT INTO runs (run_id, experiment_id, name, status, start_ms, user, host, pid, proc_start, "
      "parent_run_id) VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?, ?)");
  s.Bind(1, info.run_id)
      .Bind(2, static_cast<int64_t>(std::stoll(info.experiment_id)))
      .Bind(3, info.name)
      .Bind(4, info.start_ms)
      .Bind(5, info.user)
      .Bind(6, info.host)
      .Bind(7, info.pid)
      .Bind(8, ProcessStartTime(info.pid))
      .Bind(9, parent_run_id)
      .Run();
  tx.Commit();
  return info;
}

void TrackingStore::LogParam(const std::string& run_id, const std::string& key, const std::string& value) {
  LogParams(run_id, {{key, value}});
}

void TrackingStore::LogParams(const std::string& run_id,
                              const std::vector<std::pair<std::string, std::string>>& params) {
  Database& db = impl_->db;
  WriteTransaction tx(db);
  impl_->RequireRun(run_id);
  Statement insert = db.Prepare("INSERT OR IGNORE INTO params (run_id, key, value) VALUES (?, ?, ?)");
  Statement read = db.Prepare("SELECT value FROM params WHERE run_id = ? AND key = ?");
  for (const auto& [key, value] : params) {
    RequireKey("param", key);
    insert.Bind(1, run_id).Bind(2, key).Bind(3, value).Run();
    insert.Reset();
    if (db.Changes() == 0) {
      read.Bind(1, run_id).Bind(2, key);
      read.Step();
      const std::string old = read.ColumnText(0);
      read.Reset();
      if (old != value) {
        throw InvalidArgument(fmt::format("param '{}' of run {} is already '{}'; params are immutable, cannot "
                                          "change it to '{}' (log a new run, or use a tag)",
                                          key, run_id, old, value));
      }
    }
  }
  tx.Commit();
}

void TrackingStore::LogMetric(const std::string& run_id, const std::string& key, double value, int64_t step) {
  LogMetrics(run_id, {MetricPoint{key, value, step, 0}});
}

void TrackingStore::LogMetrics(const std::string& run_id, const std::vector<MetricPoint>& points) {
  Database& db = impl_->db;
  const int64_t now = NowMs();
  WriteTransaction tx(db);
  impl_->RequireRun(run_id);
  Statement insert =
      db.Prepare("INSERT INTO metrics (run_id, key, value, step, timestamp_ms) VALUES (?, ?, ?, ?, ?)");
  // The latest point per key (highest step, then newest) is kept aside so that
  // listing and filtering runs never scans the full history.
  Statement latest = db.Prepare(
      "INSERT INTO latest_metrics (run_id, key, value, step, timestamp_ms) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, step = excluded.step, "
      "timestamp_ms = excluded.timestamp_ms WHERE excluded.step > latest_metrics.step OR "
      "(excluded.step = latest_metrics.step AND excluded.timestamp_ms >= latest_metrics.timestamp_ms)");
  for (const MetricPoint& p : points) {
    RequireKey("metric", p.key);
    const int64_t ts = p.timestamp_ms == 0 ? now : p.timestamp_ms;
    for (Statement* s : {&insert, &latest}) {
      s->Bind(1, run_id).Bind(2, p.key).Bind(3, p.value).Bind(4, p.step).Bind(5, ts).Run();
      s->Reset();
    }
  }
  tx.Commit();
}

void TrackingStore::SetTag(const std::string& run_id, const std::string& key, const std::string& value) {
  SetTags(run_id, {{key, value}});
}

void TrackingStore::SetTags(const std::string& run_id,
                            const std::vector<std::pair<std::string, std::string>>& tags) {
  Database& db = impl_->db;
  WriteTransaction tx(db);
  impl_->RequireRun(run_id);
  Statement s = db.Prepare("INSERT OR REPLACE INTO tags (run_id, key, value) VALUES (?, ?, ?)");
  for (const auto& [key, value] : tags) {
    RequireKey("tag", key);
    s.Bind(1, run_id).Bind(2, key).Bind(3, value).Run();
    s.Reset();
  }
  tx.Commit();
}

void TrackingStore::LogInput(const std::string& run_id, const InputLineage& input) {
  Database& db = impl_->db;
  WriteTransaction tx(db);
  impl_->RequireRun(run_id);
  Statement s = db.Prepare(
      "INSERT OR REPLACE INTO inputs (run_id, role, path, size_bytes, fingerprint, schema_json, rows) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.Bind(1, run_id)
      .Bind(2, input.role)
      .Bind(3, input.path)
      .Bind(4, static_cast<int64_t>(input.size_bytes))
      .Bind(5, input.fingerprint)
      .Bind(6, input.schema_json)
      .Bind(7, input.rows)
      .Run();
  tx.Commit();
}

std::string TrackingStore::ArtifactDir(const std::string& run_id) const {
  impl_->RequireRun(run_id);
  const std::string dir = impl_->ArtifactsRoot() + "/" + run_id;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError(fmt::format("cannot create artifact directory {}: {}", dir, ec.message()));
  return dir;
}

void TrackingStore::EndRun(const std::string& run_id, RunStatus status, const std::string& error) {
  if (status == RunStatus::kRunning) {
    throw InvalidArgument(fmt::format("EndRun of {} with status RUNNING; valid: FINISHED, FAILED, KILLED", run_id));
  }
  Database& db = impl_->db;
  WriteTransaction tx(db);
  Statement read = db.Prepare("SELECT status FROM runs WHERE run_id = ?");
  read.Bind(1, run_id);
  if (!read.Step()) impl_->RequireRun(run_id);
  const std::string current = read.ColumnText(0);
  if (current != "RUNNING") {
    throw InvalidArgument(fmt::format("run {} already ended {}; a run ends once", run_id, current));
  }
  Statement s = db.Prepare("UPDATE runs SET status = ?, end_ms = ?, error = ? WHERE run_id = ?");
  s.Bind(1, RunStatusName(status)).Bind(2, NowMs()).Bind(3, error).Bind(4, run_id).Run();
  tx.Commit();
}

RunInfo TrackingStore::GetRun(const std::string& id) const {
  Database& db = impl_->db;
  const std::string sql = fmt::format(
      "SELECT {} FROM runs r JOIN experiments e ON e.experiment_id = r.experiment_id WHERE r.run_id {} "
      "ORDER BY r.run_id LIMIT 6",
      kRunColumns, id.size() == 32 ? "= ?" : "LIKE ? || '%'");
  std::vector<RunInfo> found;
  if (!id.empty() && IsHex(id)) {
    Statement s = db.Prepare(sql);
    std::string lower = id;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    s.Bind(1, lower);
    while (s.Step()) found.push_back(ReadRun(s, impl_->ArtifactsRoot()));
  }
  if (found.size() == 1) return found[0];
  if (found.empty()) {
    throw NotFound(fmt::format("no run '{}' in tracking store {}; give a run id or a unique prefix of one "
                               "(`ember runs list --store {}` lists them)",
                               id, impl_->root, impl_->root));
  }
  std::vector<std::string> ids;
  for (const RunInfo& r : found) ids.push_back(r.run_id);
  throw InvalidArgument(fmt::format("run prefix '{}' is ambiguous: it matches {}{}; give more digits", id,
                                    Join(ids), found.size() > 5 ? ", ..." : ""));
}

std::vector<ExperimentInfo> TrackingStore::ListExperiments() const {
  std::vector<ExperimentInfo> out;
  Statement s = impl_->db.Prepare("SELECT experiment_id, name, created_ms FROM experiments ORDER BY experiment_id");
  while (s.Step()) out.push_back({std::to_string(s.ColumnInt(0)), s.ColumnText(1), s.ColumnInt(2)});
  return out;
}

std::vector<RunInfo> TrackingStore::ListRuns(const RunFilter& filter) const {
  Database& db = impl_->db;
  std::string sql = fmt::format("SELECT {} FROM runs r JOIN experiments e ON e.experiment_id = r.experiment_id",
                                kRunColumns);
  std::vector<std::string> where;
  MetricCondition metric;
  if (!filter.metric.empty()) {
    metric = ParseMetricCondition(filter.metric);
    sql += fmt::format(" JOIN latest_metrics lm ON lm.run_id = r.run_id AND lm.key = ?3 AND lm.value {} ?4",
                       metric.op);
  }
  if (!filter.experiment.empty()) {
    Statement check = db.Prepare("SELECT 1 FROM experiments WHERE name = ?");
    check.Bind(1, filter.experiment);
    if (!check.Step()) {
      std::vector<std::string> names;
      for (const ExperimentInfo& e : ListExperiments()) names.push_back(e.name);
      throw NotFound(fmt::format("no experiment '{}' in tracking store {}{}; experiments: {}", filter.experiment,
                                 impl_->root, DidYouMean(filter.experiment, names),
                                 names.empty() ? "(none)" : Join(names)));
    }
    where.push_back("e.name = ?1");
  }
  if (!filter.tag_key.empty()) {
    where.push_back(
        "EXISTS (SELECT 1 FROM tags t WHERE t.run_id = r.run_id AND t.key = ?5 AND t.value = ?6)");
  }
  for (size_t i = 0; i < where.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + where[i];
  sql += " ORDER BY r.start_ms DESC, r.run_id";
  if (filter.limit > 0) sql += fmt::format(" LIMIT {}", filter.limit);
  Statement s = db.Prepare(sql);
  if (!filter.experiment.empty()) s.Bind(1, filter.experiment);
  if (!filter.metric.empty()) s.Bind(3, metric.key).Bind(4, metric.value);
  if (!filter.tag_key.empty()) s.Bind(5, filter.tag_key).Bind(6, filter.tag_value);
  std::vector<RunInfo> out;
  while (s.Step()) out.push_back(ReadRun(s, impl_->ArtifactsRoot()));
  return out;
}

std::map<std::string, std::string> TrackingStore::Params(const std::string& run_id) const {
  impl_->RequireRun(run_id);
  std::map<std::string, std::string> out;
  Statement s = impl_->db.Prepare("SELECT key, value FROM params WHERE run_id = ?");
  s.Bind(1, run_id);
  while (s.Step()) out.emplace(s.ColumnText(0), s.ColumnText(1));
  return out;
}

std::map<std::string, std::string> TrackingStore::Tags(const std::string& run_id) const {
  impl_->RequireRun(run_id);
  std::map<std::string, std::string> out;
  Statement s = impl_->db.Prepare("SELECT key, value FROM tags WHERE run_id = ?");
  s.Bind(1, run_id);
  while (s.Step()) out.emplace(s.ColumnText(0), s.ColumnText(1));
  return out;
}

std::vector<MetricPoint> TrackingStore::MetricHistory(const std::string& run_id, const std::string& key) const {
  impl_->RequireRun(run_id);
  Statement s = impl_->db.Prepare(
      key.empty() ? "SELECT key, value, step, timestamp_ms FROM metrics WHERE run_id = ?1 "
                    "ORDER BY key, step, timestamp_ms, rowid"
                  : "SELECT key, value, step, timestamp_ms FROM metrics WHERE run_id = ?1 AND key = ?2 "
                    "ORDER BY key, step, timestamp_ms, rowid");
  s.Bind(1, run_id);
  if (!key.empty()) s.Bind(2, key);
  std::vector<MetricPoint> out;
  while (s.Step()) out.push_back({s.ColumnText(0), s.ColumnDouble(1), s.ColumnInt(2), s.ColumnInt(3)});
  return out;
}

std::map<std::string, double> TrackingStore::LatestMetrics(const std::string& run_id) const {
  impl_->RequireRun(run_id);
  std::map<std::string, double> out;
  Statement s = impl_->db.Prepare("SELECT key, value FROM latest_metrics WHERE run_id = ?");
  s.Bind(1, run_id);
  while (s.Step()) out.emplace(s.ColumnText(0), s.ColumnDouble(1));
  return out;
}

std::vector<InputLineage> TrackingStore::Inputs(const std::string& run_id) const {
  impl_->RequireRun(run_id);
  std::vector<InputLineage> out;
  Statement s = impl_->db.Prepare(
      "SELECT role, path, size_bytes, fingerprint, schema_json, rows FROM inputs WHERE run_id = ? ORDER BY role");
  s.Bind(1, run_id);
  while (s.Step()) {
    out.push_back({s.ColumnText(0), s.ColumnText(1), static_cast<uint64_t>(s.ColumnInt(2)), s.ColumnText(3),
                   s.ColumnText(4), s.ColumnInt(5)});
  }
  return out;
}

std::vector<TrackingStore::RunValues> TrackingStore::ValuesOf(const std::vector<std::string>& run_ids) const {
  std::vector<RunValues> out(run_ids.size());
  Statement params = impl_->db.Prepare("SELECT key, value FROM params WHERE run_id = ?");
  Statement metrics = impl_->db.Prepare("SELECT key, value FROM latest_metrics WHERE run_id = ?");
  for (size_t i = 0; i < run_ids.size(); ++i) {
    params.Bind(1, run_ids[i]);
    while (params.Step()) out[i].params.emplace_hint(out[i].params.end(), params.ColumnText(0), params.ColumnText(1));
    params.Reset();
    metrics.Bind(1, run_ids[i]);
    while (metrics.Step()) {
      out[i].metrics.emplace_hint(out[i].metrics.end(), metrics.ColumnText(0), metrics.ColumnDouble(1));
    }
    metrics.Reset();
  }
  return out;
}

void TrackingStore::DeleteRun(const std::string& run_id) {
  Database& db = impl_->db;
  {
    WriteTransaction tx(db);
    impl_->RequireRun(run_id);
    {
      Statement s = db.Prepare("SELECT name, version FROM model_versions WHERE run_id = ? ORDER BY name, version");
      s.Bind(1, run_id);
      std::vector<std::string> versions;
      while (s.Step()) versions.push_back(fmt::format("{} v{}", s.ColumnText(0), s.ColumnInt(1)));
      if (!versions.empty()) {
        throw InvalidArgument(fmt::format("run {} cannot be deleted: registered model versions use it ({})",
                                          run_id, Join(versions)));
      }
    }
    for (const char* table : {"params", "tags", "metrics", "latest_metrics", "inputs", "runs"}) {
      Statement s = db.Prepare(fmt::format("DELETE FROM {} WHERE run_id = ?", table));
      s.Bind(1, run_id).Run();
    }
    {
      Statement s = db.Prepare("UPDATE runs SET parent_run_id = '' WHERE parent_run_id = ?");
      s.Bind(1, run_id).Run();
    }
    tx.Commit();
  }
  std::error_code ec;
  fs::remove_all(impl_->ArtifactsRoot() + "/" + run_id, ec);
  if (ec) {
    throw IoError(fmt::format("run {} was deleted but its artifact directory {} could not be removed: {}", run_id,
                              impl_->ArtifactsRoot() + "/" + run_id, ec.message()));
  }
}

}  // namespace ember::track
