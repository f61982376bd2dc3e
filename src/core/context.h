// Context: everything a computation needs from its environment (threads,
// seed, memory budget, logger, progress), passed down explicitly. There is
// no mutable global configuration in ember.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/logger.h"
#include "core/progress.h"

namespace ember {

struct ContextOptions {
  /// Worker threads; 0 means one per hardware thread.
  int threads = 0;
  /// Seed for every random choice that is not given its own seed.
  uint64_t seed = 42;
  /// Soft limit on working memory in bytes; 0 means no limit.
  size_t memory_budget_bytes = 0;
  LogLevel log_level = LogLevel::kWarn;
  /// Draw progress bars on a terminal (never when stderr is redirected).
  bool show_progress = false;
};

/// Immutable and cheap to copy; safe to share between threads.
class Context {
 public:
  /// Validates options (threads must be >= 0) and resolves defaults.
  static Context Make(const ContextOptions& options = {});
  /// A context for tests and libraries: given threads, silent, seed 42.
  static Context Default(int threads = 0) { return Make({.threads = threads}); }

  int threads() const { return threads_; }
  uint64_t seed() const { return seed_; }
  size_t memory_budget_bytes() const { return memory_budget_bytes_; }
  const Logger& logger() const { return *logger_; }
  const ProgressSink& progress() const { return *progress_; }

  /// A copy that differs only in the thread count (0 = hardware threads).
  Context WithThreads(int threads) const;
  /// A copy that differs only in the seed.
  Context WithSeed(uint64_t seed) const;
  /// A copy that reports progress to `sink` (e.g. ProgressSink::Observed in
  /// tests). REQUIRES: sink is not null.
  Context WithProgress(std::shared_ptr<const ProgressSink> sink) const;

 private:
  Context() = default;
  int threads_ = 1;
  uint64_t seed_ = 42;
  size_t memory_budget_bytes_ = 0;
  std::shared_ptr<const Logger> logger_;
  std::shared_ptr<const ProgressSink> progress_;
};

/// Number of hardware threads, at least 1.
int HardwareThreads();

}  // namespace ember
