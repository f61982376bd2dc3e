// Sorting scored rows by score for the ranking metrics: order-preserving
// integer keys for float and double scores, and a parallel, stable LSD
// radix sort on them. Blocks depend only on the row count, and a stable sort
// has one answer, so the order is the same for any thread count.
#pragma once

#include <bit>
#include <cstddef>
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

/// Uninitialised memory for `bytes` bytes of sort records, page-aligned.
/// Arrays of 4 MiB and more ask the kernel for transparent huge pages:
/// sorting 10M rows otherwise spends a tenth of its time in page faults.
/// Throws std::bad_alloc when the memory is not available.
class RecordMemory {
 public:
  explicit RecordMemory(size_t bytes);
  ~RecordMemory();
  RecordMemory(const RecordMemory&) = delete;
  RecordMemory& operator=(const RecordMemory&) = delete;

  template <class K>
  std::span<SortRecord<K>> As(size_t n) {
    return {static_cast<SortRecord<K>*>(data_), n};
  }

 private:
  void* data_ = nullptr;
  size_t bytes_ = 0;
};

/// A key that sorts ascending in the order of descending scores:
/// DescendingKey(a) < DescendingKey(b) iff a > b. -0.0 and +0.0 get the same
/// key; +-infinity sort at the ends. REQUIRES: score is not NaN.
/// Inline: it runs once per row on the hot path.
inline uint32_t DescendingKey(float score) {
  // Adding +0.0 turns -0.0 into +0.0, so the two zeros tie.
  const auto u = std::bit_cast<uint32_t>(score + 0.0f);
  const uint32_t ascending = (u & 0x80000000u) != 0 ? ~u : (u | 0x80000000u);
  return ~ascending;
}
inline uint64_t DescendingKey(double score) {
  const auto u = std::bit_cast<uint64_t>(score + 0.0);
  const uint64_t ascending = (u & 0x8000000000000000ull) != 0 ? ~u : (u | 0x8000000000000000ull);
  return ~ascending;
}

/// Sorts `records` by key ascending, stably, using `scratch` (same size) as
/// the second buffer. Returns the span (records or scratch) that holds the
/// sorted result. Passes whose digit is the same for every record are
/// skipped, so keys with few distinct high bits sort faster. 64-bit keys
/// are radix-sorted on their high half, then runs sharing it are sorted by
/// the full key (fast unless many distinct keys share their high 32 bits).
std::span<SortRecord<uint32_t>> RadixSort(std::span<SortRecord<uint32_t>> records,
                                          std::span<SortRecord<uint32_t>> scratch, const Context& ctx);
std::span<SortRecord<uint64_t>> RadixSort(std::span<SortRecord<uint64_t>> records,
                                          std::span<SortRecord<uint64_t>> scratch, const Context& ctx);

}  // namespace ember
