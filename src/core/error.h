// The error hierarchy: every failure a user can cause is one of these
// exceptions. The CLI turns them into one line and a non-zero exit code; the
// Python module into the matching Python exception.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace ember {

/// What kind of failure; lets front doors map errors without RTTI chains.
enum class ErrorKind {
  kInvalidArgument,  // a param, option or value outside what is valid
  kParse,            // text input that does not follow its format
  kSchema,           // a missing column, a wrong type, a duplicate name
  kIo,               // the operating system refused a read or a write
  kNotFound,         // a path, name or key that does not exist
  kCorrupt,          // a binary file that fails its own integrity checks
  kInternal,         // a broken invariant: a bug in ember, never the user's fault
};

/// Base of all ember exceptions. what() is one line, ready to print.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

class InvalidArgument : public Error {
 public:
  explicit InvalidArgument(const std::string& m) : Error(ErrorKind::kInvalidArgument, m) {}
};

/// A text-format error; the message starts with "file:line:column: ".
class ParseError : public Error {
 public:
  ParseError(std::string_view file, int64_t line, int64_t column, std::string_view what)
      : Error(ErrorKind::kParse, fmt::format("{}:{}:{}: {}", file, line, column, what)),
        line_(line),
        column_(column) {}
  int64_t line() const { return line_; }
  int64_t column() const { return column_; }

 private:
  int64_t line_;
  int64_t column_;
};

class SchemaError : public Error {
 public:
  explicit SchemaError(const std::string& m) : Error(ErrorKind::kSchema, m) {}
};

class IoError : public Error {
 public:
  explicit IoError(const std::string& m) : Error(ErrorKind::kIo, m) {}
};

class NotFound : public Error {
 public:
  explicit NotFound(const std::string& m) : Error(ErrorKind::kNotFound, m) {}
};

class CorruptData : public Error {
 public:
  explicit CorruptData(const std::string& m) : Error(ErrorKind::kCorrupt, m) {}
};

class InternalError : public Error {
 public:
  explicit InternalError(const std::string& m) : Error(ErrorKind::kInternal, m) {}
};

/// Throws IoError "what: path: strerror(errno)" for the current errno (NotFound
/// for ENOENT); a full disk or quota adds what to do about it.
[[noreturn]] void ThrowErrno(std::string_view what, std::string_view path);

/// Name of an ErrorKind, e.g. "parse error".
std::string_view ErrorKindName(ErrorKind kind);

}  // namespace ember

/// Checks an internal invariant; a failure is a bug, reported as InternalError
/// with the source location rather than crashing the process.
#define EMBER_CHECK(cond, ...)                                                          \
  do {                                                                                  \
    if (!(cond)) [[unlikely]]                                                           \
      throw ::ember::InternalError(fmt::format("internal check failed at {}:{}: {} ({})", \
                                               __FILE__, __LINE__, #cond,                 \
                                               fmt::format(__VA_ARGS__)));              \
  } while (0)
