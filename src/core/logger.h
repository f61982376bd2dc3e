// A small leveled logger. Logging never throws: a failed write is dropped.
#pragma once

#include <cstdio>
#include <mutex>
#include <string_view>

#include <fmt/format.h>

namespace ember {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

/// Writes "[level] message" lines to a stdio stream. Thread-safe; cheap when a
/// message's level is below the threshold (nothing is formatted).
class Logger {
 public:
  explicit Logger(LogLevel threshold = LogLevel::kWarn, std::FILE* sink = stderr)
      : threshold_(threshold), sink_(sink) {}

  LogLevel threshold() const { return threshold_; }
  bool Enabled(LogLevel level) const { return level >= threshold_; }

  template <class... Args>
  void Log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) const noexcept {
    if (!Enabled(level)) return;
    try {
      Write(level, fmt::format(format, std::forward<Args>(args)...));
    } catch (...) {
      // Logging must never fail the caller.
    }
  }
  template <class... Args>
  void Info(fmt::format_string<Args...> f, Args&&... a) const noexcept { Log(LogLevel::kInfo, f, std::forward<Args>(a)...); }
  template <class... Args>
  void Warn(fmt::format_string<Args...> f, Args&&... a) const noexcept { Log(LogLevel::kWarn, f, std::forward<Args>(a)...); }
  template <class... Args>
  void Debug(fmt::format_string<Args...> f, Args&&... a) const noexcept { Log(LogLevel::kDebug, f, std::forward<Args>(a)...); }

 private:
  void Write(LogLevel level, std::string_view line) const noexcept;

  LogLevel threshold_;
  std::FILE* sink_;
  mutable std::mutex mutex_;
};

}  // namespace ember
