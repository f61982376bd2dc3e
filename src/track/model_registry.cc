// The model registry: numbered versions of named models, each pointing at a
// run's model directory, with aliases, tags and `models:/` URIs.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"
#include "track/store_impl.h"
#include "track/tracking_store.h"

namespace ember::track {

namespace fs = std::filesystem;

namespace {

bool IsValidName(std::string_view s, bool allow_dots) {
  if (s.empty() || s.size() > 256) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || (allow_dots && c == '.');
  });
}

void RequireModelName(const std::string& name) {
  if (!IsValidName(name, true)) {
    throw InvalidArgument(fmt::format("model name '{}' is not valid; use letters, digits, '_', '-' and '.'", name));
  }
}

std::vector<std::string> ModelNames(Database& db) {
  std::vector<std::string> names;
  Statement s = db.Prepare("SELECT DISTINCT name FROM model_versions ORDER BY name");
  while (s.Step()) names.push_back(s.ColumnText(0));
  return names;
}

[[noreturn]] void ThrowUnknownModel(Database& db, const std::string& root, const std::string& name) {
  const std::vector<std::string> names = ModelNames(db);
  throw NotFound(fmt::format("no registered model '{}' in tracking store {}{}; registered models: {}", name, root,
                             DidYouMean(name, names), names.empty() ? "(none)" : Join(names)));
}

ModelVersion ReadVersion(Database& db, const std::string& root, Statement& s) {
  ModelVersion v;
  v.name = s.ColumnText(0);
  v.version = s.ColumnInt(1);
  v.run_id = s.ColumnText(2);
  v.path = root + "/" + s.ColumnText(3);
  v.description = s.ColumnText(4);
  v.created_ms = s.ColumnInt(5);
  Statement t = db.Prepare("SELECT key, value FROM model_version_tags WHERE name = ? AND version = ?");
  t.Bind(1, v.name).Bind(2, v.version);
  while (t.Step()) v.tags.emplace(t.ColumnText(0), t.ColumnText(1));
  Statement a = db.Prepare("SELECT alias FROM model_aliases WHERE name = ? AND version = ? ORDER BY alias");
  a.Bind(1, v.name).Bind(2, v.version);
  while (a.Step()) v.aliases.push_back(a.ColumnText(0));
  return v;
}

constexpr const char* kVersionColumns = "name, version, run_id, path, description, created_ms";

}  // namespace

ModelVersion TrackingStore::RegisterModel(const std::string& name, const std::string& run_id,
                                          const std::string& model_subpath, const std::string& description) {
  RequireModelName(name);
  const fs::path sub = fs::path(model_subpath).lexically_normal();
  if (model_subpath.empty() || sub.is_absolute() || (!sub.empty() && *sub.begin() == "..")) {
    throw InvalidArgument(fmt::format("model path '{}' must be relative to the run's artifact directory, e.g. "
                                      "'model'",
                                      model_subpath));
  }
  Database& db = impl_->db;
  const std::string relative = "artifacts/" + run_id + "/" + sub.string();
  WriteTransaction tx(db);  // holds the write lock: the version number below cannot be taken twice
  impl_->RequireRun(run_id);
  if (!fs::exists(impl_->root + "/" + relative)) {
    throw NotFound(fmt::format("run {} has no model at {}; register a run that saved its model (or pass the "
                               "model's path inside the run's artifacts)",
                               run_id, impl_->root + "/" + relative));
  }
  int64_t version = 1;
  {
    Statement s = db.Prepare("SELECT MAX(version) FROM model_versions WHERE name = ?");
    s.Bind(1, name);
    if (s.Step() && !s.ColumnIsNull(0)) version = s.ColumnInt(0) + 1;
  }
  Statement s = db.Prepare(fmt::format("INSERT INTO model_versions ({}) VALUES (?, ?, ?, ?, ?, ?)", kVersionColumns));
  s.Bind(1, name).Bind(2, version).Bind(3, run_id).Bind(4, relative).Bind(5, description).Bind(6, NowMs()).Run();
  tx.Commit();
  return GetModelVersion(name, version);
}

void TrackingStore::SetAlias(const std::string& name, const std::string& alias, int64_t version) {
  if (!IsValidName(alias, false)) {
    throw InvalidArgument(fmt::format("alias '{}' is not valid; use letters, digits, '_' and '-'", alias));
  }
  if (alias == "latest") {
    throw InvalidArgument("alias 'latest' is reserved: it always means the highest version");
  }
  Database& db = impl_->db;
  WriteTransaction tx(db);
  GetModelVersion(name, version);  // NotFound naming the versions that exist
  Statement s = db.Prepare("INSERT OR REPLACE INTO model_aliases (name, alias, version) VALUES (?, ?, ?)");
  s.Bind(1, name).Bind(2, alias).Bind(3, version).Run();
  tx.Commit();
}

void TrackingStore::DeleteAlias(const std::string& name, const std::string& alias) {
  Database& db = impl_->db;
  WriteTransaction tx(db);
  GetModelVersionByAlias(name, alias);
  Statement s = db.Prepare("DELETE FROM model_aliases WHERE name = ? AND alias = ?");
  s.Bind(1, name).Bind(2, alias).Run();
  tx.Commit();
}

void TrackingStore::SetModelVersionTag(const std::string& name, int64_t version, const std::string& key,
                                       const std::string& value) {
  if (key.empty()) throw InvalidArgument("model version tag key is empty; give it a name");
  Database& db = impl_->db;
  WriteTransaction tx(db);
  GetModelVersion(name, version);
  Statement s =
      db.Prepare("INSERT OR REPLACE INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)");
  s.Bind(1, name).Bind(2, version).Bind(3, key).Bind(4, value).Run();
  tx.Commit();
}

ModelVersion TrackingStore::GetModelVersion(const std::string& name, int64_t version) const {
  Database& db = impl_->db;
  Statement s =
      db.Prepare(fmt::format("SELECT {} FROM model_versions WHERE name = ? AND version = ?", kVersionColumns));
  s.Bind(1, name).Bind(2, version);
  if (s.Step()) return ReadVersion(db, impl_->root, s);
  std::vector<std::string> versions;
  Statement all = db.Prepare("SELECT version FROM model_versions WHERE name = ? ORDER BY version");
  all.Bind(1, name);
  while (all.Step()) versions.push_back(std::to_string(all.ColumnInt(0)));
  if (versions.empty()) ThrowUnknownModel(db, impl_->root, name);
  throw NotFound(fmt::format("model '{}' has no version {}; versions: {}", name, version, Join(versions)));
}

ModelVersion TrackingStore::GetModelVersionByAlias(const std::string& name, const std::string& alias) const {
  Database& db = impl_->db;
  if (alias == "latest") {
    Statement s = db.Prepare("SELECT MAX(version) FROM model_versions WHERE name = ?");
    s.Bind(1, name);
    if (!s.Step() || s.ColumnIsNull(0)) ThrowUnknownModel(db, impl_->root, name);
    return GetModelVersion(name, s.ColumnInt(0));
  }
  Statement s = db.Prepare("SELECT version FROM model_aliases WHERE name = ? AND alias = ?");
  s.Bind(1, name).Bind(2, alias);
  if (s.Step()) return GetModelVersion(name, s.ColumnInt(0));
  std::vector<std::string> aliases = {"latest"};
  Statement all = db.Prepare("SELECT alias FROM model_aliases WHERE name = ? ORDER BY alias");
  all.Bind(1, name);
  while (all.Step()) aliases.push_back(all.ColumnText(0));
  if (aliases.size() == 1) {
    Statement any = db.Prepare("SELECT 1 FROM model_versions WHERE name = ?");
    any.Bind(1, name);
    if (!any.Step()) ThrowUnknownModel(db, impl_->root, name);
  }
  throw NotFound(fmt::format("model '{}' has no alias '{}'{}; aliases: {}", name, alias, DidYouMean(alias, aliases),
                             Join(aliases)));
}

std::vector<ModelVersion> TrackingStore::ListModelVersions(const std::string& name) const {
  Database& db = impl_->db;
  Statement s = db.Prepare(fmt::format("SELECT {} FROM model_versions WHERE name = ? ORDER BY version", kVersionColumns));
  s.Bind(1, name);
  std::vector<ModelVersion> out;
  while (s.Step()) out.push_back(ReadVersion(db, impl_->root, s));
  if (out.empty()) ThrowUnknownModel(db, impl_->root, name);
  return out;
}

std::vector<std::string> TrackingStore::ListModels() const { return ModelNames(impl_->db); }

std::string TrackingStore::ResolveModelUri(const std::string& uri) const {
  if (!IsModelUri(uri)) return uri;
  const std::string rest = uri.substr(8);
  const size_t at = rest.find('@');
  const size_t slash = rest.find('/');
  if (at != std::string::npos) {
    return GetModelVersionByAlias(rest.substr(0, at), rest.substr(at + 1)).path;
  }
  if (slash != std::string::npos) {
    const std::string name = rest.substr(0, slash);
    const std::string number = rest.substr(slash + 1);
    if (number.empty() || number.size() > 18 ||
        !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw InvalidArgument(fmt::format("model URI '{}': '{}' is not a version number; valid forms: "
                                        "models:/NAME@ALIAS, models:/NAME/VERSION, models:/NAME",
                                        uri, number));
    }
    return GetModelVersion(name, std::stoll(number)).path;
  }
  if (rest.empty()) {
    throw InvalidArgument(fmt::format("model URI '{}' names no model; valid forms: models:/NAME@ALIAS, "
                                      "models:/NAME/VERSION, models:/NAME",
                                      uri));
  }
  return GetModelVersionByAlias(rest, "latest").path;
}

}  // namespace ember::track
