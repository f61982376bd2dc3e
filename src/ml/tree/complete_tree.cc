#include "ml/tree/complete_tree.h"

#include <cmath>
#include <limits>

namespace ember {

std::optional<CompleteTree> MakeCompleteTree(const Tree& tree, int num_features) {
  const int depth = tree.Depth();
  if (depth > kMaxCompleteTreeDepth || tree.has_categorical_splits()) return std::nullopt;
  const auto d = static_cast<uint32_t>(num_features);
  const auto block_rows = static_cast<uint32_t>(kCompleteBlockRows);
  CompleteTree out;
  out.depth = depth;
  const size_t splits = (size_t{1} << depth) - 1;
  out.splits.assign(splits, {0, OrderedKey(std::numeric_limits<float>::infinity())});
  out.leaf_node.assign(splits + 1, 0);
  if (tree.num_outputs == 1) out.leaf_value.assign(splits + 1, 0.0);
  // Walk the original tree, carrying each node's slot in the layout; a leaf
  // above the last level owns every leaf slot below its slot.
  struct Visit {
    int32_t node;
    size_t slot;
  };
  std::vector<Visit> stack{{0, 0}};
  while (!stack.empty()) {
    const auto [node, slot] = stack.back();
    stack.pop_back();
    const auto u = static_cast<size_t>(node);
    if (tree.feature[u] >= 0) {
      const auto f = static_cast<uint32_t>(tree.feature[u]);
      const bool nan_left = tree.default_left[u] != 0;
      if (nan_left) {
        const float below = std::nextafter(-tree.threshold[u], -std::numeric_limits<float>::infinity());
        out.splits[slot] = {(d + f) * block_rows, OrderedKey(below)};
      } else {
        out.splits[slot] = {f * block_rows, OrderedKey(tree.threshold[u])};
      }
      stack.push_back({nan_left ? tree.right[u] : tree.left[u], 2 * slot + 1});
      stack.push_back({nan_left ? tree.left[u] : tree.right[u], 2 * slot + 2});
      continue;
    }
    size_t first = slot, count = 1;
    while (first < splits) {  // down to the leaf level
      first = 2 * first + 1;
      count *= 2;
    }
    for (size_t k = first - splits; k < first - splits + count; ++k) {
      out.leaf_node[k] = node;
      if (!out.leaf_value.empty()) out.leaf_value[k] = tree.value[u];
    }
  }
  return out;
}

void FillCompleteTreeBlock(const float* x, size_t d, size_t rows, std::vector<int32_t>& block) {
  const int32_t inf = OrderedKey(std::numeric_limits<float>::infinity());
  block.resize(2 * d * kCompleteBlockRows);
  int32_t* plain = block.data();
  int32_t* negated = block.data() + d * kCompleteBlockRows;
  for (size_t i = 0; i < rows; ++i) {
    for (size_t f = 0; f < d; ++f) {
      const float v = x[i * d + f];
      const bool nan = v != v;
      plain[f * kCompleteBlockRows + i] = nan ? inf : OrderedKey(v);
      negated[f * kCompleteBlockRows + i] = nan ? inf : OrderedKey(-v);
    }
  }
}

namespace {

// Eight rows step together: independent chains of loads that the core
// overlaps. Row j's value sits at a fixed distance j from its column's start
// in `rows`, which must not be folded with a row counter into one index
// (the compiler would then keep eight row indices instead of one pointer):
// hence a function of its own, kept scalar (as vector lanes, the indices
// would move in and out of a register at every step).
constexpr size_t kLanes = 8;

/// The slot after split slot n for the row whose first column value is at
/// `row` (its value of column c is row[c * kCompleteBlockRows]).
inline size_t Step(const CompleteTree::Split* splits, size_t n, const int32_t* row) {
  const CompleteTree::Split s = splits[n];
  return 2 * n + 1 + (row[s.column_offset] > s.threshold_key ? 1 : 0);
}

/// Calls reach(j, s) with the leaf slot s of each row j < kLanes from `rows`.
template <class Reach>
[[gnu::noinline, gnu::optimize("no-tree-slp-vectorize")]] void WalkEight(const CompleteTree& t, const int32_t* rows,
                                                                         Reach reach) {
  const CompleteTree::Split* splits = t.splits.data();
  size_t n[kLanes] = {};  // 64-bit: no zero-extension before each load
  for (int level = 0; level < t.depth; ++level) {
    for (size_t j = 0; j < kLanes; ++j) n[j] = Step(splits, n[j], rows + j);
  }
  for (size_t j = 0; j < kLanes; ++j) reach(j, n[j] - t.splits.size());
}

/// reach(i, s) for every row i < rows of the block.
template <class Reach>
void Walk(const CompleteTree& t, const int32_t* block, size_t rows, Reach reach) {
  size_t i = 0;
  for (; i + kLanes <= rows; i += kLanes) {
    WalkEight(t, block + i, [&](size_t j, size_t slot) { reach(i + j, slot); });
  }
  for (; i < rows; ++i) {
    size_t n = 0;
    for (int level = 0; level < t.depth; ++level) n = Step(t.splits.data(), n, block + i);
    reach(i, n - t.splits.size());
  }
}

}  // namespace

void CompleteTreeLeaves(const CompleteTree& t, const int32_t* block, size_t rows, int32_t* leaf) {
  Walk(t, block, rows, [&](size_t i, size_t slot) { leaf[i] = t.leaf_node[slot]; });
}

void AddCompleteTreeValues(const CompleteTree& t, const int32_t* block, size_t rows, double* out, size_t stride) {
  Walk(t, block, rows, [&](size_t i, size_t slot) { out[i * stride] += t.leaf_value[slot]; });
}

}  // namespace ember
