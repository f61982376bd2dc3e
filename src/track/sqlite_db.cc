#include "track/sqlite_db.h"

#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>
#include <sqlite3.h>

#include "core/error.h"

namespace ember::track {

namespace {
// How long a writer waits for another process's transaction before failing.
constexpr int kBusyTimeoutMs = 10000;
}  // namespace

Database Database::Open(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    throw IoError(fmt::format("cannot open tracking database {}: {}; check that the store directory exists "
                              "and is writable",
                              path, message));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return Database(db, path);
}

Database::~Database() { sqlite3_close_v2(db_); }
Database::Database(Database&& o) noexcept : db_(std::exchange(o.db_, nullptr)), path_(std::move(o.path_)) {}
Database& Database::operator=(Database&& o) noexcept {
  if (this != &o) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(o.db_, nullptr);
    path_ = std::move(o.path_);
  }
  return *this;
}

void Database::Fail(int rc, std::string_view what) const {
  const std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      throw CorruptData(fmt::format("tracking database {} is damaged or not a SQLite database ({} while {}); "
                                    "it was left untouched: restore it from a backup or point --store elsewhere",
                                    path_, detail, what));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw IoError(fmt::format("tracking database {} stayed locked by another process for {} s while {}",
                                path_, kBusyTimeoutMs / 1000, what));
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      throw IoError(fmt::format("tracking database {} cannot be written ({} while {}); the store directory and "
                                "its files must be writable",
                                path_, detail, what));
    case SQLITE_FULL:
      throw IoError(fmt::format("disk full writing tracking database {} while {}", path_, what));
    case SQLITE_IOERR:
      throw IoError(fmt::format("I/O error on tracking database {} while {}: {}", path_, what, detail));
    case SQLITE_CONSTRAINT:
      throw InvalidArgument(fmt::format("tracking database {}: {} while {}", path_, detail, what));
    default:
      throw InternalError(fmt::format("tracking database {}: SQLite error {} ({}) while {}", path_, rc, detail,
                                      what));
  }
}

void Database::Exec(std::string_view sql) {
  char* err = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) Fail(rc, fmt::format("running '{}'", text.substr(0, 60)));
}

Statement Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) Fail(rc, fmt::format("preparing '{}'", sql.substr(0, 60)));
  return Statement(*this, stmt);
}

int64_t Database::Changes() const { return sqlite3_changes64(db_); }

Statement::~Statement() { sqlite3_finalize(stmt_); }
Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(std::exchange(o.stmt_, nullptr)) {}

Statement& Statement::Bind(int index, std::string_view value) {
  const int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) db_->Fail(rc, "binding a value");
  return *this;
}
Statement& Statement::Bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_->Fail(rc, "binding a value");
  return *this;
}
Statement& Statement::Bind(int index, double value) {
  const int rc = std::isnan(value) ? sqlite3_bind_null(stmt_, index) : sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) db_->Fail(rc, "binding a value");
  return *this;
}
Statement& Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_->Fail(rc, "binding a value");
  return *this;
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  db_->Fail(rc, fmt::format("running '{}'", std::string_view(sqlite3_sql(stmt_)).substr(0, 60)));
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::ColumnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  return text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, index))) : std::string();
}
int64_t Statement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }
double Statement::ColumnDouble(int index) const {
  if (sqlite3_column_type(stmt_, index) == SQLITE_NULL) return std::numeric_limits<double>::quiet_NaN();
  return sqlite3_column_double(stmt_, index);
}
bool Statement::ColumnIsNull(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

WriteTransaction::WriteTransaction(Database& db) : db_(db) { db_.Exec("BEGIN IMMEDIATE"); }
WriteTransaction::~WriteTransaction() {
  if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}
void WriteTransaction::Commit() {
  db_.Exec("COMMIT");
  done_ = true;
}

}  // namespace ember::track
