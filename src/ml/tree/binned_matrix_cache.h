// A small process-wide cache of binned matrices, so that fitting a tree
// model again on the same features column (cross-validation folds that
// reweight rows, tuning trials, refits) skips binning.
//
// An entry is found by the identity of the column's value buffer (its
// address, kept as a weak reference so a freed and reused address never
// matches), the row count and dimension, a fingerprint of sampled bytes of
// the values, a hash of the binning weights and the BinningOptions. The
// cache holds at most kBinnedMatrixCacheEntries matrices (least recently
// used goes first). Results never depend on it: a hit returns the matrix a
// build would make.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "core/context.h"
#include "frame/column.h"
#include "ml/tree/binned_matrix.h"

namespace ember {

inline constexpr size_t kBinnedMatrixCacheEntries = 4;

/// The binned form of `features` with the cuts of (weights, options), from
/// the cache or built (and cached). Thread-safe; concurrent misses on the
/// same key may both build, and one result is kept.
std::shared_ptr<const BinnedMatrix> CachedBinnedMatrix(const Column& features, std::span<const double> weights,
                                                       const BinningOptions& options, const Context& ctx);

struct BinnedMatrixCacheStats {
  uint64_t builds = 0;  // matrices built by CachedBinnedMatrix since the process started
  uint64_t hits = 0;    // calls answered from the cache
  size_t entries = 0;   // matrices held now
};
BinnedMatrixCacheStats GetBinnedMatrixCacheStats();

/// Drops every cached matrix (the counters keep counting).
void ClearBinnedMatrixCache();

}  // namespace ember
