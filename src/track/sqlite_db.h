// A thin RAII layer over the SQLite C API for the tracking store: one
// connection, prepared statements with typed binds, and SQLite result codes
// turned into ember errors that name the database file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ember::track {

class Statement;

/// One open SQLite connection. Movable; not thread-safe.
class Database {
 public:
  /// Opens (creating when `create`) the file read-write. Throws IoError naming
  /// the path when it cannot be opened.
  static Database Open(const std::string& path, bool create);
  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;

  /// Runs one or more statements without results.
  void Exec(std::string_view sql);
  Statement Prepare(std::string_view sql);
  int64_t Changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  /// Throws the ember error matching SQLite result `rc` ("while <what>").
  [[noreturn]] void Fail(int rc, std::string_view what) const;

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_ = nullptr;
  std::string path_;
};

/// A prepared statement; binds are 1-based like SQLite's.
class Statement {
 public:
  Statement(Database& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, int64_t value);
  /// NaN is stored as NULL (SQLite has no NaN); ColumnDouble maps it back.
  Statement& Bind(int index, double value);
  Statement& BindNull(int index);
  /// Advances to the next row; false when done.
  bool Step();
  /// Runs a statement that returns no rows.
  void Run() {
    while (Step()) {
    }
  }
  /// Clears the bindings and rewinds, for reuse in a loop.
  void Reset();

  std::string ColumnText(int index) const;
  int64_t ColumnInt(int index) const;
  double ColumnDouble(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_;
};

/// BEGIN IMMEDIATE on construction (takes the write lock up front, so busy
/// waits happen here and never as a failed lock upgrade), ROLLBACK unless
/// Commit() was called.
class WriteTransaction {
 public:
  explicit WriteTransaction(Database& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void Commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace ember::track
