// Progress reporting for long operations: a bar with rate and ETA on a
// terminal, nothing at all when stderr is not a terminal or output is quiet.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

namespace ember {

class ProgressBar;

/// Decides whether progress is drawn, and where. Shared by a Context.
class ProgressSink {
 public:
  /// Draws only when `enabled` and `stream` is a terminal.
  static std::shared_ptr<const ProgressSink> Make(bool enabled, std::FILE* stream = stderr);
  /// A sink that never draws (tests, libraries, servers).
  static std::shared_ptr<const ProgressSink> Silent();

  bool active() const { return active_; }
  std::FILE* stream() const { return stream_; }

  /// Starts a task of `total` units (0 when unknown) named by `label`.
  std::unique_ptr<ProgressBar> Start(std::string label, uint64_t total, std::string unit = "rows") const;

  ProgressSink(bool active, std::FILE* stream) : active_(active), stream_(stream) {}

 private:
  bool active_;
  std::FILE* stream_;
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
  std::atomic<int64_t> last_draw_ns_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex draw_mutex_;
  bool drawn_ = false;
};

}  // namespace ember
