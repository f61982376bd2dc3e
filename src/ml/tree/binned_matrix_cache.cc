#include "ml/tree/binned_matrix_cache.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "core/hash.h"

namespace ember {

namespace {

struct Key {
  const void* values = nullptr;
  const void* offsets = nullptr;  // sparse columns: the row offsets too
  size_t rows = 0;
  int32_t dim = 0;
  TypeId type = TypeId::kDenseVector;
  uint64_t fingerprint = 0;
  uint64_t weights_hash = 0;
  int max_bins = 0;
  size_t sample_rows = 0;
  uint64_t seed = 0;
  std::vector<int> categorical;
  bool feature_major_copy = false;

  bool operator==(const Key&) const = default;
};

struct Entry {
  Key key;
  std::weak_ptr<const Buffer> buffer;  // expired: the column is gone, the entry is stale
  std::shared_ptr<const BinnedMatrix> matrix;
  uint64_t last_use = 0;
};

/// Process-wide state. A cache, not configuration: nothing it holds changes
/// a result, so it does not belong in the Context.
struct Cache {
  std::mutex mutex;
  std::vector<Entry> entries;
  uint64_t clock = 0;
  uint64_t builds = 0;
  uint64_t hits = 0;
};

Cache& TheCache() {
  static Cache cache;
  return cache;
}

/// xxhash of up to 64 evenly spaced 64-byte pieces of the buffer plus its
/// last piece: a few microseconds, and it changes when any sampled value does.
uint64_t Fingerprint(const Buffer& b) {
  constexpr size_t kPiece = 64, kPieces = 64;
  const size_t size = b.size();
  if (size <= kPiece * (kPieces + 1)) return Hash64(b.data(), size);
  uint64_t h = size;
  const size_t stride = (size - kPiece) / kPieces;
  for (size_t i = 0; i < kPieces; ++i) h = Hash64(b.data() + i * stride, kPiece, h);
  return Hash64(b.data() + size - kPiece, kPiece, h);
}

Key MakeKey(const Column& features, std::span<const double> weights, const BinningOptions& options) {
  const ColumnBuffers& buffers = features.buffers();
  Key k;
  k.values = buffers.values ? buffers.values->data() : nullptr;
  k.offsets = buffers.offsets ? buffers.offsets->data() : nullptr;
  k.rows = features.length();
  k.dim = features.type().dim;
  k.type = features.type().id;
  k.fingerprint = buffers.values ? Fingerprint(*buffers.values) : 0;
  k.weights_hash = weights.empty() ? 0 : Hash64(weights.data(), weights.size_bytes(), 1);
  k.max_bins = std::clamp(options.max_bins, 2, kMaxValueBins);
  k.sample_rows = options.sample_rows;
  k.seed = options.seed;
  k.categorical = options.categorical_features;
  k.feature_major_copy = options.feature_major_copy;
  return k;
}

}  // namespace

std::shared_ptr<const BinnedMatrix> CachedBinnedMatrix(const Column& features, std::span<const double> weights,
                                                       const BinningOptions& options, const Context& ctx) {
  const BufferPtr& values = features.buffers().values;
  if (!values) return std::make_shared<const BinnedMatrix>(BinnedMatrix::Build(features, weights, options, ctx));
  const Key key = MakeKey(features, weights, options);
  Cache& cache = TheCache();
  {
    std::lock_guard<std::mutex> lock(cache.mutex);
    std::erase_if(cache.entries, [](const Entry& e) { return e.buffer.expired(); });
    for (Entry& e : cache.entries) {
      if (e.key == key && e.buffer.lock() == values) {
        e.last_use = ++cache.clock;
        ++cache.hits;
        return e.matrix;
      }
    }
  }
  auto matrix = std::make_shared<const BinnedMatrix>(BinnedMatrix::Build(features, weights, options, ctx));
  std::lock_guard<std::mutex> lock(cache.mutex);
  ++cache.builds;
  const bool present = std::any_of(cache.entries.begin(), cache.entries.end(),
                                   [&](const Entry& e) { return e.key == key && e.buffer.lock() == values; });
  if (!present) {
    if (cache.entries.size() >= kBinnedMatrixCacheEntries) {
      cache.entries.erase(std::min_element(cache.entries.begin(), cache.entries.end(),
                                           [](const Entry& a, const Entry& b) { return a.last_use < b.last_use; }));
    }
    cache.entries.push_back({key, values, matrix, ++cache.clock});
  }
  return matrix;
}

BinnedMatrixCacheStats GetBinnedMatrixCacheStats() {
  Cache& cache = TheCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  return {cache.builds, cache.hits, cache.entries.size()};
}

void ClearBinnedMatrixCache() {
  Cache& cache = TheCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  cache.entries.clear();
}

}  // namespace ember
