// One decision tree as flat arrays (a node is an index into each array) and
// its traversal over raw float features or over binned rows.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "ml/tree/binned_matrix.h"

namespace ember {

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

  size_t num_nodes() const { return feature.size(); }
  bool is_leaf(int n) const { return feature[static_cast<size_t>(n)] < 0; }
  /// Appends a leaf and returns its index.
  int AddLeaf(const double* values, double node_weight);
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
    const bool go_left = std::isnan(v) ? t.default_left[u] != 0 : v <= t.threshold[u];
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
    const bool go_left = b == m.cuts().missing_bin(f) ? t.default_left[u] != 0 : b <= t.bin[u];
    n = go_left ? t.left[u] : t.right[u];
  }
  return n;
}

}  // namespace ember
