// Opening a tracking store: the directory, the database and its schema, and
// the sweep that marks runs of vanished processes KILLED.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "core/error.h"
#include "track/process_identity.h"
#include "track/store_impl.h"

namespace ember::track {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSchemaSql = R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE experiments (
  experiment_id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL);
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  experiment_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL DEFAULT 0,
  user TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  proc_start INTEGER NOT NULL DEFAULT 0,
  parent_run_id TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '');
CREATE INDEX runs_by_start ON runs (start_ms DESC, run_id);
CREATE INDEX runs_by_status ON runs (status);
CREATE TABLE params (
  run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE TABLE tags (
  run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE TABLE metrics (
  run_id TEXT NOT NULL, key TEXT NOT NULL, value REAL, step INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL);
CREATE INDEX metrics_by_run ON metrics (run_id, key, step, timestamp_ms);
CREATE TABLE latest_metrics (
  run_id TEXT NOT NULL, key TEXT NOT NULL, value REAL, step INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE INDEX latest_by_key ON latest_metrics (key, value);
CREATE TABLE inputs (
  run_id TEXT NOT NULL, role TEXT NOT NULL, path TEXT NOT NULL, size_bytes INTEGER NOT NULL,
  fingerprint TEXT NOT NULL, schema_json TEXT NOT NULL, rows INTEGER NOT NULL,
  PRIMARY KEY (run_id, role)) WITHOUT ROWID;
CREATE TABLE model_versions (
  name TEXT NOT NULL, version INTEGER NOT NULL, run_id TEXT NOT NULL, path TEXT NOT NULL,
  description TEXT NOT NULL, created_ms INTEGER NOT NULL,
  PRIMARY KEY (name, version)) WITHOUT ROWID;
CREATE INDEX model_versions_by_run ON model_versions (run_id);
CREATE TABLE model_version_tags (
  name TEXT NOT NULL, version INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (name, version, key)) WITHOUT ROWID;
CREATE TABLE model_aliases (
  name TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL,
  PRIMARY KEY (name, alias)) WITHOUT ROWID;
)sql";

std::string StripFileScheme(const std::string& location) {
  if (location.rfind("file://", 0) == 0) return location.substr(7);
  if (location.rfind("file:", 0) == 0) return location.substr(5);
  return location;
}

// Reads the schema version; 0 for a brand-new (empty) database. Refuses a
// database that holds other tables, or a newer schema, without writing to it.
int64_t CheckExistingSchema(Database& db) {
  bool has_tables = false;
  bool has_version = false;
  {
    Statement s = db.Prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    while (s.Step()) {
      has_tables = true;
      if (s.ColumnText(0) == "schema_version") has_version = true;
    }
  }
  if (!has_tables) return 0;
  if (!has_version) {
    throw CorruptData(fmt::format("{} is a SQLite database but not an ember tracking store (no schema_version "
                                  "table); it was left untouched: point --store at another directory",
                                  db.path()));
  }
  Statement s = db.Prepare("SELECT MAX(version) FROM schema_version");
  const int64_t version = s.Step() ? s.ColumnInt(0) : 0;
  if (version > kSchemaVersion) {
    throw CorruptData(fmt::format("tracking database {} has schema version {}, newer than the {} this ember "
                                  "reads; it was left untouched: use a newer ember",
                                  db.path(), version, kSchemaVersion));
  }
  if (version < 1) {
    throw CorruptData(fmt::format("tracking database {} has an empty schema_version table; it was left "
                                  "untouched",
                                  db.path()));
  }
  return version;
}

void EnableWal(Database& db) {
  // Switching to WAL takes an exclusive lock that the busy handler does not
  // always wait for when many processes open a fresh store at once: retry.
  for (int attempt = 0;; ++attempt) {
    try {
      Statement s = db.Prepare("PRAGMA journal_mode=WAL");
      if (s.Step() && s.ColumnText(0) != "wal") {
        throw IoError(fmt::format("tracking database {} cannot use write-ahead logging (journal mode {}); put "
                                  "the store on a local file system",
                                  db.path(), s.ColumnText(0)));
      }
      return;
    } catch (const IoError& e) {
      if (attempt >= 200 || std::string_view(e.what()).find("locked") == std::string_view::npos) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

void MarkStaleRuns(Database& db) {
  const std::string host = ThisHost();
  std::vector<std::pair<std::string, int64_t>> stale;
  {
    Statement s = db.Prepare("SELECT run_id, pid, proc_start FROM runs WHERE status = 'RUNNING' AND host = ?");
    s.Bind(1, host);
    while (s.Step()) {
      const int64_t pid = s.ColumnInt(1);
      if (!ProcessIsAlive(pid, s.ColumnInt(2))) stale.emplace_back(s.ColumnText(0), pid);
    }
  }
  if (stale.empty()) return;
  WriteTransaction tx(db);
  Statement u = db.Prepare(
      "UPDATE runs SET status = 'KILLED', end_ms = ?, error = ? WHERE run_id = ? AND status = 'RUNNING'");
  for (const auto& [run_id, pid] : stale) {
    u.Bind(1, NowMs());
    u.Bind(2, fmt::format("process {} on {} ended without closing the run", pid, host));
    u.Bind(3, run_id);
    u.Run();
    u.Reset();
  }
  tx.Commit();
}

}  // namespace

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ResolveStoreLocation(const std::string& explicit_location) {
  if (!explicit_location.empty()) return StripFileScheme(explicit_location);
  if (const char* env = std::getenv("EMBER_TRACKING_URI"); env != nullptr && *env != '\0') {
    return StripFileScheme(env);
  }
  return "ember-runs";
}

TrackingStore TrackingStore::Open(const std::string& root_in) {
  if (root_in.empty()) throw InvalidArgument("tracking store location is empty; pass --store DIR");
  std::error_code ec;
  const std::string root = fs::absolute(root_in, ec).lexically_normal().string();
  std::string trimmed = root;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  fs::create_directories(trimmed, ec);
  if (ec) {
    throw IoError(fmt::format("cannot create tracking store directory {}: {}", trimmed, ec.message()));
  }
  if (!fs::is_directory(trimmed)) {
    throw IoError(fmt::format("tracking store {} is not a directory", trimmed));
  }
  if (::access(trimmed.c_str(), W_OK | X_OK) != 0) {
    throw IoError(fmt::format("tracking store directory {} is not writable; choose another --store or fix its "
                              "permissions",
                              trimmed));
  }
  const std::string db_path = trimmed + "/ember.db";
  if (::access(db_path.c_str(), F_OK) == 0 && ::access(db_path.c_str(), R_OK | W_OK) != 0) {
    throw IoError(fmt::format("tracking database {} is not writable; fix its permissions", db_path));
  }

  auto impl = std::make_unique<Impl>(Impl{trimmed, Database::Open(db_path, /*create=*/true)});
  Database& db = impl->db;
  CheckExistingSchema(db);
  EnableWal(db);
  db.Exec("PRAGMA synchronous=NORMAL");
  {
    WriteTransaction tx(db);
    if (CheckExistingSchema(db) == 0) {
      db.Exec(kSchemaSql);
      Statement s = db.Prepare("INSERT INTO schema_version (version) VALUES (?)");
      s.Bind(1, kSchemaVersion).Run();
    }
    tx.Commit();
  }
  fs::create_directories(impl->ArtifactsRoot(), ec);
  if (ec) {
    throw IoError(fmt::format("cannot create artifact directory {}: {}", impl->ArtifactsRoot(), ec.message()));
  }
  MarkStaleRuns(db);
  return TrackingStore(std::move(impl));
}

TrackingStore::TrackingStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TrackingStore::~TrackingStore() = default;
TrackingStore::TrackingStore(TrackingStore&&) noexcept = default;
TrackingStore& TrackingStore::operator=(TrackingStore&&) noexcept = default;

std::string TrackingStore::root() const { return impl_->root; }

}  // namespace ember::track
