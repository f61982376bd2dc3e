// Histograms of per-row statistics over the bins of a BinnedMatrix: the one
// data structure the tree learners search for splits.
//
// A row contributes `channels` doubles (its statistics: gradient and
// hessian, or per-class weights, then weight and count); a histogram holds
// their sums per (feature, bin), laid out as total_bins() x channels.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/context.h"
#include "ml/tree/binned_matrix.h"

namespace ember {

/// Reusable partial-histogram buffers of one tree learner (not thread-safe;
/// one per concurrently grown tree).
struct HistogramScratch {
  std::vector<double> partials;
};

/// Rows per block when building a histogram over `rows` rows. Depends only
/// on the row count, so the fixed-order merge gives the same sums for any
/// thread count.
size_t HistogramBlockRows(size_t rows);

/// out = sum over r in `rows` of stats[r * channels + c] at the bins of row
/// r. Blocks of rows are accumulated in parallel into partial histograms
/// (double) and merged in block order. REQUIRES: out.size() ==
/// total_bins * channels; rows index into the matrix.
void BuildHistogram(const BinnedMatrix& matrix, std::span<const double> stats, int channels,
                    std::span<const uint32_t> rows, std::span<double> out, HistogramScratch& scratch,
                    const Context& ctx);

/// larger = parent - smaller, element-wise, in place over `parent` (the
/// subtraction trick: only the smaller child is built from rows).
void SubtractHistogram(std::span<double> parent_then_larger, std::span<const double> smaller);

}  // namespace ember
