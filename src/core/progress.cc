#include "core/progress.h"

#include <unistd.h>

#include <fmt/format.h>

namespace ember {

std::shared_ptr<const ProgressSink> ProgressSink::Make(bool enabled, std::FILE* stream) {
  const bool tty = stream != nullptr && isatty(fileno(stream)) == 1;
  return std::make_shared<const ProgressSink>(enabled && tty, stream);
}

std::shared_ptr<const ProgressSink> ProgressSink::Silent() {
  return std::make_shared<const ProgressSink>(false, nullptr);
}

std::shared_ptr<const ProgressSink> ProgressSink::Observed(std::function<void(const ProgressReport&)> observer) {
  auto sink = std::make_shared<ProgressSink>(false, nullptr);
  sink->observer_ = std::move(observer);
  return sink;
}

std::unique_ptr<ProgressBar> ProgressSink::Start(std::string label, uint64_t total, std::string unit) const {
  return std::make_unique<ProgressBar>(*this, std::move(label), total, std::move(unit));
}

ProgressBar::ProgressBar(const ProgressSink& sink, std::string label, uint64_t total, std::string unit)
    : sink_(sink), label_(std::move(label)), total_(total), unit_(std::move(unit)),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::fprintf(sink_.stream(), "\r\033[K");
  if (sink_.observer_) sink_.observer_({label_, total_, unit_, done(), advances_.load(std::memory_order_relaxed)});
}

namespace {

std::string Human(double v) {
  if (v >= 1e9) return fmt::format("{:.1f}G", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.1f}M", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.1f}k", v / 1e3);
  return fmt::format("{:.0f}", v);
}

}  // namespace

std::string ProgressBar::Render(double elapsed) const {
  const double done = static_cast<double>(this->done());
  const double rate = elapsed > 0 ? done / elapsed : 0.0;
  if (total_ == 0) return fmt::format("{} {} {} {}/s", label_, Human(done), unit_, Human(rate));
  constexpr int kWidth = 24;
  const double frac = std::min(1.0, done / static_cast<double>(total_));
  const int filled = static_cast<int>(frac * kWidth);
  std::string bar(kWidth, ' ');
  for (int i = 0; i < filled; ++i) bar[i] = '=';
  if (filled < kWidth) bar[filled] = '>';
  const double eta = rate > 0 ? (static_cast<double>(total_) - done) / rate : 0.0;
  return fmt::format("{} [{}] {:3.0f}% {} {}/s ETA {:.0f}s", label_, bar, frac * 100, Human(rate), unit_, eta);
}

void ProgressBar::Advance(uint64_t units) {
  done_.fetch_add(units, std::memory_order_relaxed);
  advances_.fetch_add(1, std::memory_order_relaxed);
  if (!sink_.active()) return;
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - start_).count();
  int64_t last = last_draw_ns_.load(std::memory_order_relaxed);
  if (now - last < 100'000'000) return;
  if (!last_draw_ns_.compare_exchange_strong(last, now)) return;  // another thread draws
  Draw();
}

void ProgressBar::Draw() {
  std::lock_guard lock(draw_mutex_);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(sink_.stream(), "\r\033[K%s", Render(elapsed).c_str());
  std::fflush(sink_.stream());
  drawn_ = true;
}

}  // namespace ember
