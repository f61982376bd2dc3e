// Sorting scored rows by score for the ranking metrics: order-preserving
// integer keys for float and double scores, and a parallel, stable LSD
// radix sort on them. Blocks depend only on the row count, and a stable sort
// has one answer, so the order is the same for any thread count.
#pragma once

#include <cstdint>
#include <span>

#include "core/context.h"

namespace ember {

/// One row to sort: its key and a 32-bit payload the caller defines (the
/// binary evaluator packs the row index and the label into it).
template <class K>
struct SortRecord {
  K key;
  uint32_t payload;
};

/// A key that sorts ascending in the order of descending scores:
/// DescendingKey(a) < DescendingKey(b) iff a > b. -0.0 and +0.0 get the same
/// key; +-infinity sort at the ends. REQUIRES: score is not NaN.
uint32_t DescendingKey(float score);
uint64_t DescendingKey(double score);

/// Sorts `records` by key ascending, stably, using `scratch` (same size) as
/// the second buffer. Returns the span (records or scratch) that holds the
/// sorted result. Passes whose digit is the same for every record are
/// skipped, so keys with few distinct high bits sort faster.
std::span<SortRecord<uint32_t>> RadixSort(std::span<SortRecord<uint32_t>> records,
                                          std::span<SortRecord<uint32_t>> scratch, const Context& ctx);
std::span<SortRecord<uint64_t>> RadixSort(std::span<SortRecord<uint64_t>> records,
                                          std::span<SortRecord<uint64_t>> scratch, const Context& ctx);

}  // namespace ember
