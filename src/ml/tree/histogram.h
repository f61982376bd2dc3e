// Histograms of per-row statistics over the bins of a BinnedMatrix: the one
// data structure the tree learners search for splits.
//
// A row contributes `channels` float32 statistics (gradient and hessian,
// or per-class weights, then weight and count; see split.h); a histogram
// holds their double sums per (feature, bin), laid out as total_bins() x
// channels.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/context.h"
#include "ml/tree/binned_matrix.h"
#include "ml/tree/quantized_gradients.h"

namespace ember {

/// Reusable buffers of one tree learner (not thread-safe; one per
/// concurrently grown tree).
struct HistogramScratch {
  std::vector<double> partials;    // sums of the later row blocks of large jobs
  std::vector<int64_t> quantized;  // integer sums of the row blocks of large jobs (quantised statistics)
};

/// One histogram to build: the sums over `rows` written to `out`.
struct HistogramJob {
  std::span<const uint32_t> rows;
  std::span<double> out;
};

/// Builds every job's histogram: out = sum over r in rows of stats[r *
/// channels + c] at the bins of row r. (job, row block) tasks are spread
/// over the threads, each summing its rows in order, and the blocks of a
/// large job are added in block order, so the sums do not depend on the
/// thread count. REQUIRES: every out.size() == total_bins * channels.
void BuildHistograms(const BinnedMatrix& matrix, std::span<const float> stats, int channels,
                     std::span<const HistogramJob> jobs, HistogramScratch& scratch, const Context& ctx);

/// One quantised histogram to build: per slot, the sum of the RowSums of
/// `rows` (total_bins() slots, each packing a [g, h] pair of integer sums).
struct QuantizedHistogramJob {
  std::span<const uint32_t> rows;
  std::span<int64_t> out;
};

/// BuildHistograms over quantised statistics: each job's out gets the
/// packed integer sums of its rows (identical for any thread count; decode
/// them with DecodeQuantizedHistogram). Half the size of a [g, h] double
/// histogram, and subtracted exactly. REQUIRES: every out.size() ==
/// total_bins.
void BuildQuantizedHistograms(const BinnedMatrix& matrix, const QuantizedGradients& quantized,
                              std::span<const QuantizedHistogramJob> jobs, HistogramScratch& scratch,
                              const Context& ctx);

/// The two-channel [g, h] histogram of packed sums: out[2 i], out[2 i + 1]
/// decode sums[i]. REQUIRES: out.size() == 2 * sums.size().
void DecodeQuantizedHistogram(std::span<const int64_t> sums, const QuantizedGradients& quantized,
                              std::span<double> out);

/// BuildHistograms of one job.
void BuildHistogram(const BinnedMatrix& matrix, std::span<const float> stats, int channels,
                    std::span<const uint32_t> rows, std::span<double> out, HistogramScratch& scratch,
                    const Context& ctx);

/// larger = parent - smaller, element-wise, in place over `parent` (the
/// subtraction trick: only the smaller child is built from rows).
void SubtractHistogram(std::span<double> parent_then_larger, std::span<const double> smaller);
/// The same over packed integer sums (exact).
void SubtractHistogram(std::span<int64_t> parent_then_larger, std::span<const int64_t> smaller);

}  // namespace ember
