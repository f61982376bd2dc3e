// Progress reporting for long operations: a bar with rate and ETA on a
// terminal, nothing at all when stderr is not a terminal or output is quiet
// (the commands then print one line per finished step themselves).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace ember {

class ProgressBar;

/// A finished task, as an observing sink (ProgressSink::Observed) sees it.
struct ProgressReport {
  std::string label;
  uint64_t total = 0;  // 0 when unknown
  std::string unit;
  uint64_t done = 0;      // units advanced in all
  uint64_t advances = 0;  // Advance() calls: how finely the work reported itself
};

/// Decides whether progress is drawn, and where. Shared by a Context.
class ProgressSink {
 public:
  /// Draws only when `enabled` and `stream` is a terminal.
  static std::shared_ptr<const ProgressSink> Make(bool enabled, std::FILE* stream = stderr);
  /// A sink that never draws (tests, libraries, servers).
  static std::shared_ptr<const ProgressSink> Silent();
  /// A sink that never draws and hands every task to `observer` when its
  /// bar is destroyed (tests, embedding applications). The observer is
  /// called on the thread that ends the task and must be thread-safe when
  /// tasks end on several threads; it must not throw.
  static std::shared_ptr<const ProgressSink> Observed(std::function<void(const ProgressReport&)> observer);

  bool active() const { return active_; }
  std::FILE* stream() const { return stream_; }

  /// Starts a task of `total` units (0 when unknown) named by `label`.
  std::unique_ptr<ProgressBar> Start(std::string label, uint64_t total, std::string unit = "rows") const;

  ProgressSink(bool active, std::FILE* stream) : active_(active), stream_(stream) {}

 private:
  friend class ProgressBar;
  bool active_;
  std::FILE* stream_;
  std::function<void(const ProgressReport&)> observer_;  // empty unless Observed
};

/// One task's bar. Advance() may be called from many threads at once; the bar
/// redraws at most ten times a second and clears itself when destroyed.
class ProgressBar {
 public:
  ProgressBar(const ProgressSink& sink, std::string label, uint64_t total, std::string unit);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Advance(uint64_t units);
  uint64_t done() const { return done_.load(std::memory_order_relaxed); }

  /// The line that would be drawn now, e.g. "read x.csv [=====>   ] 52% 1.2M rows/s ETA 3s".
  std::string Render(double elapsed_seconds) const;

 private:
  void Draw();

  const ProgressSink& sink_;
  std::string label_;
  uint64_t total_;
  std::string unit_;
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> advances_{0};
  std::atomic<int64_t> last_draw_ns_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex draw_mutex_;
  bool drawn_ = false;
};

}  // namespace ember
