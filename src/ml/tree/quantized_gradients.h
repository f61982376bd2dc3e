// Gradients and hessians rounded to small integers (LightGBM's quantized
// training): a row's pair packs into one int64, so a histogram slot is one
// integer add instead of two double adds, and histograms are half the size.
//
// The rounding is stochastic (unbiased: E[q] * scale = g) and seeded per
// (seed, row), and the scales are powers of two, so every decoded sum is
// an exact double: histogram subtraction and the split scan see the
// integers' exact values. Only the tree's shape comes from the quantised
// sums; GrowTree computes leaf values from the float statistics.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/context.h"
#include "core/huge_pages.h"

namespace ember {

struct QuantizedGradients {
  /// Per row: g_q in the high 16 bits (two's complement), h_q in the low 16,
  /// with |g_q| <= levels and 1 <= h_q <= 2 levels (RowSum widens it).
  HugePageVector<uint32_t> packed;  // read at the rows of each node
  double gradient_scale = 1;        // g ~ g_q * gradient_scale
  double hessian_scale = 1;         // h ~ h_q * hessian_scale
};

/// The gradient levels for `rows` rows: at most 127, and few enough that
/// the sums over all rows fit their 32-bit halves; 0 when they would be
/// too coarse (over 134M rows) and the float statistics should be used.
int QuantizationLevels(size_t rows);

/// Rounds the unit-row [g, h] statistics (two floats per row, h > 0) to
/// integers: |g| at most `levels` steps of a power-of-two gradient scale, h
/// at least one and at most 2 levels steps of a power-of-two hessian scale.
/// The result depends on (stats, levels, seed) only, not on ctx.threads().
/// REQUIRES: 1 <= levels <= QuantizationLevels(stats.size() / 2).
void QuantizeGradients(std::span<const float> stats, int levels, uint64_t seed, const Context& ctx,
                       QuantizedGradients& out);

/// A row's packed pair widened to (g_q << 32) + h_q: a sum of these over
/// rows packs (sum g_q, sum h_q) the same way while sum h_q < 2^32.
inline int64_t RowSum(uint32_t packed) {
  return static_cast<int64_t>(static_cast<int16_t>(packed >> 16)) * (int64_t{1} << 32) +
         static_cast<int64_t>(packed & 0xFFFFU);
}

/// The (gradient, hessian) sums packed in `sum` (a sum of RowSums).
inline void DecodeQuantizedSum(int64_t sum, const QuantizedGradients& q, double* gh) {
  const auto h = static_cast<int64_t>(static_cast<uint64_t>(sum) & 0xFFFFFFFFULL);
  gh[0] = static_cast<double>((sum - h) >> 32) * q.gradient_scale;
  gh[1] = static_cast<double>(h) * q.hessian_scale;
}

}  // namespace ember
