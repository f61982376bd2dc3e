#include "core/context.h"

#include <thread>

#include "core/error.h"

namespace ember {

int HardwareThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

Context Context::Make(const ContextOptions& options) {
  if (options.threads < 0) {
    throw InvalidArgument(fmt::format("threads must be >= 0 (0 = all hardware threads), got {}", options.threads));
  }
  Context ctx;
  ctx.threads_ = options.threads == 0 ? HardwareThreads() : options.threads;
  ctx.seed_ = options.seed;
  ctx.memory_budget_bytes_ = options.memory_budget_bytes;
  ctx.logger_ = std::make_shared<const Logger>(options.log_level);
  ctx.progress_ = ProgressSink::Make(options.show_progress);
  return ctx;
}

Context Context::WithThreads(int threads) const {
  if (threads < 0) throw InvalidArgument(fmt::format("threads must be >= 0, got {}", threads));
  Context copy = *this;
  copy.threads_ = threads == 0 ? HardwareThreads() : threads;
  return copy;
}

Context Context::WithSeed(uint64_t seed) const {
  Context copy = *this;
  copy.seed_ = seed;
  return copy;
}

Context Context::WithProgress(std::shared_ptr<const ProgressSink> sink) const {
  EMBER_CHECK(sink != nullptr, "Context::WithProgress needs a sink");
  Context copy = *this;
  copy.progress_ = std::move(sink);
  return copy;
}

}  // namespace ember
