// The one parallel loop of ember. Work is cut into fixed blocks whose
// boundaries depend only on the row count and block size, never on the
// thread count, so per-block results combined in block order are identical
// for 1, 2 or 64 threads.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "core/context.h"

namespace ember {

/// Rows per block when a caller has no better size: large enough to amortise
/// scheduling, small enough to balance two to a few dozen threads.
inline constexpr size_t kDefaultBlockRows = 16384;

/// One block of rows [begin, end), the index-th of the loop.
struct BlockRange {
  size_t index;
  size_t begin;
  size_t end;
};

/// Number of blocks ParallelFor uses for n rows.
inline size_t NumBlocks(size_t n, size_t block_size) { return (n + block_size - 1) / block_size; }

/// Calls body once per block on up to ctx.threads() threads. With one thread
/// (or one block) it runs inline on the caller's thread. If bodies throw, the
/// remaining blocks are skipped and the exception of the lowest-index failing
/// block is rethrown on the caller's thread. REQUIRES: block_size > 0.
void ParallelFor(const Context& ctx, size_t n, size_t block_size,
                 const std::function<void(const BlockRange&)>& body);

/// Deterministic reduction: block_fn computes a partial per block, and the
/// partials are folded left to right in block order with combine.
template <class T, class BlockFn, class Combine>
T ParallelReduce(const Context& ctx, size_t n, size_t block_size, T init, BlockFn block_fn, Combine combine) {
  std::vector<T> partials(NumBlocks(n, block_size), init);
  ParallelFor(ctx, n, block_size, [&](const BlockRange& r) { partials[r.index] = block_fn(r); });
  T total = std::move(init);
  for (T& p : partials) total = combine(std::move(total), std::move(p));
  return total;
}

}  // namespace ember
