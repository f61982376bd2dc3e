#include "ml/eval/score_sort.h"

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <new>
#include <vector>

#include "core/error.h"
#include "core/parallel_for.h"

namespace ember {

RecordMemory::RecordMemory(size_t bytes) : bytes_(std::max<size_t>(bytes, 1)) {
  void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  // Advice only: without huge pages the memory works the same, just slower.
  if (bytes_ >= (size_t{4} << 20)) madvise(p, bytes_, MADV_HUGEPAGE);
  data_ = p;
}

RecordMemory::~RecordMemory() { munmap(data_, bytes_); }

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

// 64-bit keys are radix-sorted on their high 32 bits only (half the passes);
// runs that share those bits are then put in full-key order here. Scores of
// real data rarely share 32 high bits unless they are equal, so runs are
// short or already in order.
constexpr size_t kRefineBlock = size_t{1} << 16;
constexpr size_t kInsertionRun = 32;

void RefineRuns(std::span<SortRecord<uint64_t>> a, const Context& ctx) {
  using Rec = SortRecord<uint64_t>;
  const size_t n = a.size();
  auto high = [](const Rec& r) { return r.key >> 32; };
  const size_t blocks = NumBlocks(n, kRefineBlock);
  std::vector<size_t> starts(blocks + 1, n);
  starts[0] = 0;
  for (size_t b = 1; b < blocks; ++b) {
    size_t s = std::max(b * kRefineBlock, starts[b - 1]);
    if (s > 0 && s < n && high(a[s]) == high(a[s - 1])) {
      const uint64_t h = high(a[s - 1]);
      s = static_cast<size_t>(std::upper_bound(a.begin() + static_cast<std::ptrdiff_t>(s), a.end(), h,
                                               [&](uint64_t v, const Rec& r) { return v < high(r); }) -
                              a.begin());
    }
    starts[b] = s;
  }
  auto by_key = [](const Rec& x, const Rec& y) { return x.key < y.key; };
  ParallelFor(ctx, blocks, 1, [&](const BlockRange& r) {
    const size_t end = starts[r.index + 1];
    for (size_t i = starts[r.index]; i < end;) {
      size_t j = i + 1;
      while (j < end && high(a[j]) == high(a[i])) ++j;
      Rec* first = a.data() + i;
      Rec* last = a.data() + j;
      if (j - i <= kInsertionRun) {
        for (Rec* p = first + 1; p < last; ++p) {  // insertion sort: stable, no allocation
          const Rec v = *p;
          Rec* q = p;
          for (; q > first && v.key < (q - 1)->key; --q) *q = *(q - 1);
          *q = v;
        }
      } else if (!std::is_sorted(first, last, by_key)) {
        std::stable_sort(first, last, by_key);
      }
      i = j;
    }
  });
}

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
  constexpr int kFirstShift = sizeof(K) == 8 ? 32 : 0;
  for (int shift = kFirstShift; shift < static_cast<int>(sizeof(K) * 8); shift += kDigitBits) {
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
  const std::span<SortRecord<K>> sorted = src == records.data() ? records : scratch;
  if constexpr (kFirstShift > 0) RefineRuns(sorted, ctx);
  return sorted;
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
