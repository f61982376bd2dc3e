// A shallow tree re-laid as a complete binary tree in level order, for batch
// prediction: split n's children are 2n + 1 and 2n + 2, so a step computes
// the next split instead of loading it, and every row takes exactly `depth`
// steps. Rows are read from a column-major block (CompleteTreeBlock) in
// which a NaN is +inf, so a step is one load and one comparison:
// right = value > threshold. A split that sends NaN left reads the block's
// negated copy of its feature instead (-x, NaN also +inf) with its children
// swapped: x <= t (left) is -x >= -t, which is -x > the float below -t.
// Block values and thresholds are stored as OrderedKey integers, so the
// comparison stays in integer registers.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "ml/tree/tree.h"

namespace ember {

/// Trees deeper than this keep the pointer layout: the complete layout
/// grows as 2^depth (depth 10: 20 KB a tree).
inline constexpr int kMaxCompleteTreeDepth = 10;

/// Rows in one CompleteTreeBlock: 2 x 28 features x 64 rows x 4 bytes fit
/// in L1 cache next to a tree.
inline constexpr size_t kCompleteBlockRows = 64;

/// An int32 ordered as the float x among non-NaN floats (-0 equals +0).
/// A step compares these: a float comparison went from the load through
/// the vector unit to the flags, a longer chain at every level.
inline int32_t OrderedKey(float x) {
  const auto bits = std::bit_cast<int32_t>(x == 0.0f ? 0.0f : x);
  return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
}

struct CompleteTree {
  struct Split {
    uint32_t column_offset;  // first value of the split's block column
    int32_t threshold_key;   // right when the column's OrderedKey is above it
  };
  int depth = 0;
  /// 2^depth - 1 splits. Below a leaf of the original tree the layout is
  /// padded with splits that send every value left (threshold +inf).
  std::vector<Split> splits;
  /// 2^depth leaf slots: the original tree's node each slot stands for.
  std::vector<int32_t> leaf_node;
  /// 2^depth leaf slots: that node's value, for trees of one output
  /// (empty otherwise).
  std::vector<double> leaf_value;
};

/// The complete layout of `tree` over rows of num_features values, or
/// nothing when it is deeper than kMaxCompleteTreeDepth or has categorical
/// splits (set lookups).
std::optional<CompleteTree> MakeCompleteTree(const Tree& tree, int num_features);

/// Rows [0, rows) of x (row-major, d floats a row; rows <= kCompleteBlockRows)
/// column by column as the layout reads them: 2d columns of
/// kCompleteBlockRows OrderedKeys, of x then -x, NaN as +inf in both.
void FillCompleteTreeBlock(const float* x, size_t d, size_t rows, std::vector<int32_t>& block);

/// leaf[i] = the original tree's leaf node that row i of the block reaches,
/// for i < rows. Same decisions as LeafOfRow.
void CompleteTreeLeaves(const CompleteTree& tree, const int32_t* block, size_t rows, int32_t* leaf);

/// out[i * stride] += the value of the leaf that row i of the block
/// reaches, for i < rows. REQUIRES: tree.leaf_value is not empty.
void AddCompleteTreeValues(const CompleteTree& tree, const int32_t* block, size_t rows, double* out, size_t stride);

}  // namespace ember
