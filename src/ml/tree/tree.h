// One decision tree as flat arrays (a node is an index into each array) and
// its traversal over raw float features or over binned rows.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "ml/tree/binned_matrix.h"

namespace ember {

/// 64-bit words of one category set: codes 0..255.
inline constexpr size_t kCategoryWords = 4;

/// Nodes of one tree; node 0 is the root. Children of node n are left[n]
/// and right[n] (-1 at leaves). Every node (not only leaves) carries its
/// output so the tree can be printed and inspected.
struct Tree {
  int num_outputs = 1;
  std::vector<int32_t> feature;       // split feature, -1 at leaves
  std::vector<int32_t> bin;           // split bin: rows with bin <= it go left
  std::vector<float> threshold;       // split value: x <= threshold goes left
  std::vector<uint8_t> default_left;  // 1: NaN goes left
  std::vector<int32_t> left;
  std::vector<int32_t> right;
  std::vector<double> value;   // num_outputs per node
  std::vector<double> gain;    // loss reduction of the split (0 at leaves)
  std::vector<double> weight;  // training weight that reached the node
  /// Categorical splits: per node, -1 (a threshold split) or the index s of
  /// its category set, words [s * kCategoryWords, (s + 1) * kCategoryWords)
  /// of category_bits; codes in the set go left, other codes right, NaN
  /// to the default side.
  std::vector<int32_t> category_set;
  std::vector<uint64_t> category_bits;

  size_t num_nodes() const { return feature.size(); }
  bool is_leaf(int n) const { return feature[static_cast<size_t>(n)] < 0; }
  /// Appends a leaf and returns its index.
  int AddLeaf(const double* values, double node_weight);
  /// Makes node n's split categorical with the set `words` (kCategoryWords).
  void SetCategorySet(int n, const uint64_t* words);
  bool has_categorical_splits() const { return !category_bits.empty(); }
  /// Whether category `code` is in node u's set (codes outside 0..255: no).
  bool InCategorySet(size_t u, int code) const {
    if (code < 0 || code >= static_cast<int>(64 * kCategoryWords)) return false;
    const uint64_t word = category_bits[static_cast<size_t>(category_set[u]) * kCategoryWords +
                                        static_cast<size_t>(code) / 64];
    return (word >> (code % 64)) & 1;
  }
  /// Longest root-to-leaf path in edges.
  int Depth() const;
  /// Spark-style indented text: "If (feature 3 <= 0.5)" / "Else (...)" / "Predict: v".
  std::string ToDebugString(int indent) const;
};

/// The leaf reached by a dense float row.
inline int LeafOfRow(const Tree& t, const float* x) {
  int n = 0;
  while (t.feature[static_cast<size_t>(n)] >= 0) {
    const auto u = static_cast<size_t>(n);
    const float v = x[t.feature[u]];
    bool go_left;
    if (std::isnan(v)) {
      go_left = t.default_left[u] != 0;
    } else if (t.category_set[u] >= 0) {
      // Non-integer or negative values are no category of the set.
      go_left = v >= 0 && v < 256 && v == std::floor(v) && t.InCategorySet(u, static_cast<int>(v));
    } else {
      go_left = v <= t.threshold[u];
    }
    n = go_left ? t.left[u] : t.right[u];
  }
  return n;
}

/// The leaf reached by row i of a binned matrix (what training saw).
inline int LeafOfBins(const Tree& t, const BinnedMatrix& m, size_t i) {
  int n = 0;
  while (t.feature[static_cast<size_t>(n)] >= 0) {
    const auto u = static_cast<size_t>(n);
    const int f = t.feature[u];
    const int b = m.bin(i, f);
    // A categorical feature's bin is its category code.
    const bool go_left = b == m.cuts().missing_bin(f) ? t.default_left[u] != 0
                         : t.category_set[u] >= 0     ? t.InCategorySet(u, b)
                                                      : b <= t.bin[u];
    n = go_left ? t.left[u] : t.right[u];
  }
  return n;
}

}  // namespace ember
