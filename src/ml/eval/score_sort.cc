#include "ml/eval/score_sort.h"

#include <algorithm>
#include <bit>
#include <vector>

#include "core/error.h"
#include "core/parallel_for.h"

namespace ember {

uint32_t DescendingKey(float score) {
  // Adding +0.0 turns -0.0 into +0.0, so the two zeros tie.
  const auto u = std::bit_cast<uint32_t>(score + 0.0f);
  const uint32_t ascending = (u & 0x80000000u) != 0 ? ~u : (u | 0x80000000u);
  return ~ascending;
}

uint64_t DescendingKey(double score) {
  const auto u = std::bit_cast<uint64_t>(score + 0.0);
  const uint64_t ascending = (u & 0x8000000000000000ull) != 0 ? ~u : (u | 0x8000000000000000ull);
  return ~ascending;
}

namespace {

// 8-bit digits: 256 buckets per block keep the scatter's write streams in
// the store buffers and L1, which beats fewer passes with wider digits.
constexpr int kDigitBits = 8;
constexpr size_t kBuckets = size_t{1} << kDigitBits;
// Below this a comparison sort is faster than setting up the passes.
constexpr size_t kSmallSort = 2048;
// Rows per block: a function of the row count only (never the thread count).
constexpr size_t kMinSortBlock = size_t{1} << 16;
constexpr size_t kMaxSortBlocks = 64;

template <class K>
std::span<SortRecord<K>> RadixSortImpl(std::span<SortRecord<K>> records, std::span<SortRecord<K>> scratch,
                                       const Context& ctx) {
  EMBER_CHECK(records.size() == scratch.size(), "radix sort scratch has {} records for {}", scratch.size(),
              records.size());
  const size_t n = records.size();
  if (n < kSmallSort) {
    std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    return records;
  }
  const size_t block = std::max(kMinSortBlock, (n + kMaxSortBlocks - 1) / kMaxSortBlocks);
  const size_t blocks = NumBlocks(n, block);
  std::vector<size_t> counts(blocks * kBuckets);
  SortRecord<K>* src = records.data();
  SortRecord<K>* dst = scratch.data();
  for (int shift = 0; shift < static_cast<int>(sizeof(K) * 8); shift += kDigitBits) {
    ParallelFor(ctx, n, block, [&](const BlockRange& r) {
      size_t* c = counts.data() + r.index * kBuckets;
      std::fill(c, c + kBuckets, 0);
      for (size_t i = r.begin; i < r.end; ++i) ++c[(src[i].key >> shift) & (kBuckets - 1)];
    });
    // Offsets bucket-major, block-minor: block b's rows of a bucket follow
    // those of blocks < b, which is what makes the pass stable.
    bool one_bucket = false;
    size_t running = 0;
    for (size_t d = 0; d < kBuckets; ++d) {
      size_t bucket_total = 0;
      for (size_t b = 0; b < blocks; ++b) {
        const size_t c = counts[b * kBuckets + d];
        counts[b * kBuckets + d] = running;
        running += c;
        bucket_total += c;
      }
      one_bucket |= bucket_total == n;
    }
    if (one_bucket) continue;  // every key has this digit: the pass would copy in place
    ParallelFor(ctx, n, block, [&](const BlockRange& r) {
      size_t* offset = counts.data() + r.index * kBuckets;
      for (size_t i = r.begin; i < r.end; ++i) dst[offset[(src[i].key >> shift) & (kBuckets - 1)]++] = src[i];
    });
    std::swap(src, dst);
  }
  return src == records.data() ? records : scratch;
}

}  // namespace

std::span<SortRecord<uint32_t>> RadixSort(std::span<SortRecord<uint32_t>> records,
                                          std::span<SortRecord<uint32_t>> scratch, const Context& ctx) {
  return RadixSortImpl(records, scratch, ctx);
}

std::span<SortRecord<uint64_t>> RadixSort(std::span<SortRecord<uint64_t>> records,
                                          std::span<SortRecord<uint64_t>> scratch, const Context& ctx) {
  return RadixSortImpl(records, scratch, ctx);
}

}  // namespace ember
