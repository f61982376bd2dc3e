// Grows one tree on a BinnedMatrix from per-row statistics: histogram per
// node (the smaller child built from its rows, the larger derived by
// subtraction), best split per node, depth-wise (level by level, Spark's
// maxDepth) or leaf-wise (best gain first, maxLeaves) growth. Node rows are
// kept as contiguous ranges of one index array, partitioned in place.
//
// Depth-wise growth handles a whole level at once: the partitions of all
// its nodes, then the histograms of all their smaller children, then the
// split searches are each one parallel pass over (node, row block) tasks,
// so deep levels of many small nodes keep every thread busy.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/context.h"
#include "ml/tree/binned_matrix.h"
#include "ml/tree/histogram.h"
#include "ml/tree/split.h"
#include "ml/tree/tree.h"

namespace ember {

struct GrowOptions {
  Criterion criterion = Criterion::kNewton;
  int num_classes = 2;     // impurity criteria only
  bool unit_rows = false;  // Newton statistics in the two-channel unit-row layout (split.h)
  SplitConstraints constraints;
  int max_depth = 5;   // 0: the root is a leaf
  int max_leaves = 0;  // > 0: leaf-wise growth up to this many leaves (and max_depth)
  /// Features drawn per node (Spark's featureSubsetStrategy) from the tree's
  /// features; 0 or at least their count: all of them.
  int features_per_node = 0;
  /// Fraction of the features a tree may split on (xgboost's
  /// colsample_bytree), drawn once per tree by SampleTreeFeatures.
  double colsample_by_tree = 1.0;
  uint64_t seed = 42;
  uint64_t tree_index = 0;  // seeds this tree's feature draws apart from others
};

/// How many positions ahead a loop over a leaf's rows (GrownTree::rows)
/// prefetches their per-row data: a deep leaf's rows are far apart, and
/// without it such loops waited on every load.
inline constexpr size_t kLeafPrefetch = 32;

/// Rows of one leaf: rows[begin, end) of GrownTree::rows.
struct LeafRows {
  int node;
  size_t begin;
  size_t end;
};

struct GrownTree {
  Tree tree;
  std::vector<uint32_t> rows;  // the input rows, grouped by leaf
  std::vector<LeafRows> leaves;
};

/// Reusable buffers of one learner; one per concurrently grown tree.
struct TreeLearnerScratch {
  HistogramScratch histogram;
  /// Node histograms no longer needed, kept for the next nodes and trees
  /// (fresh large allocations would each fault in zeroed pages).
  std::vector<std::vector<double>> free_histograms;
  std::vector<std::vector<int64_t>> free_sums;  // the same for quantised statistics
  std::vector<uint32_t> partition;
  std::vector<size_t> block_left;
};

/// The features tree `tree_index` may split on: max(1, floor(fraction * d))
/// of them (xgboost's count), drawn without replacement from a stream keyed
/// by (seed, tree_index), sorted. fraction >= 1 gives all d features.
std::vector<int> SampleTreeFeatures(int num_features, double fraction, uint64_t seed, uint64_t tree_index);

/// Grows a tree over `rows` (indices into the matrix; each row's statistics
/// are stats[r * C .. r * C + C) with C = ChannelsFor(criterion,
/// num_classes, unit_rows)). The result depends only on the inputs and
/// options, not on ctx.threads(). With `quantized` (the statistics rounded
/// by QuantizeGradients), the histograms sum its integers instead and only
/// the leaf values are computed from `stats`. REQUIRES: rows is not empty;
/// matrix has at least one feature; unit rows only with min_instances <= 1
/// and min_weight <= 0; quantized only with unit-row Newton statistics.
GrownTree GrowTree(const BinnedMatrix& matrix, std::span<const float> stats, std::vector<uint32_t> rows,
                   const GrowOptions& options, TreeLearnerScratch& scratch, const Context& ctx,
                   const QuantizedGradients* quantized = nullptr);

}  // namespace ember
