#include "core/parallel_for.h"

#include <atomic>
#include <exception>
#include <limits>
#include <mutex>

#include "core/error.h"

namespace ember {

void ParallelFor(const Context& ctx, size_t n, size_t block_size,
                 const std::function<void(const BlockRange&)>& body) {
  EMBER_CHECK(block_size > 0, "block_size must be positive");
  const size_t blocks = NumBlocks(n, block_size);
  auto range = [&](size_t b) { return BlockRange{b, b * block_size, std::min(n, (b + 1) * block_size)}; };
  const int threads = static_cast<int>(std::min<size_t>(ctx.threads(), blocks));
  if (threads <= 1) {
    for (size_t b = 0; b < blocks; ++b) body(range(b));
    return;
  }

  // Blocks are handed out in increasing order, so every block below a failed
  // one has already started: skipping only higher blocks keeps the reported
  // error the same whatever the thread count.
  std::atomic<size_t> first_failed{std::numeric_limits<size_t>::max()};
  std::mutex error_mutex;
  size_t error_block = std::numeric_limits<size_t>::max();
  std::exception_ptr error;
  const auto blocks_signed = static_cast<long long>(blocks);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (long long b = 0; b < blocks_signed; ++b) {
    if (static_cast<size_t>(b) > first_failed.load(std::memory_order_relaxed)) continue;
    try {
      body(range(static_cast<size_t>(b)));
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (static_cast<size_t>(b) < error_block) {
        error_block = static_cast<size_t>(b);
        error = std::current_exception();
      }
      first_failed.store(error_block, std::memory_order_relaxed);
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace ember
