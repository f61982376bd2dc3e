// Split finding over one node's histogram: the gain of every (feature,
// threshold bin, missing-value direction) candidate under the node's
// criterion and constraints, and the node's leaf value.
//
// Channel layout of a histogram slot (and of a row's statistics), with
// C = channels: Newton: [gradient, hessian, weight, count]; Newton over unit
// rows: [gradient, hessian] (every row weighs 1 and has a positive hessian,
// so a child is non-empty when its hessian is positive and its weight is
// its row count); class impurity (gini, entropy) with K classes: [weight of
// class 0 .. K-1, weight, count].
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ml/tree/binned_matrix.h"

namespace ember {

enum class Criterion {
  kNewton,   // second-order: score G^2 / (H + lambda); variance is Newton with g = -w y, h = w
  kGini,     // Spark's gini impurity over class weights
  kEntropy,  // Spark's entropy (log2) over class weights
};

/// Number of statistics per row/slot for a criterion; `unit_rows` selects
/// the two-channel Newton layout (ignored by the impurity criteria).
int ChannelsFor(Criterion criterion, int num_classes, bool unit_rows = false);

/// Whether `channels` statistics under `criterion` are the unit-row layout.
inline bool IsUnitRowLayout(Criterion criterion, int channels) {
  return criterion == Criterion::kNewton && channels == 2;
}

struct SplitConstraints {
  double lambda = 0;            // L2 on leaf values (Newton only)
  double min_child_weight = 0;  // least hessian (Newton) or weight (impurity) per child
  double min_instances = 1;     // least row count per child (Spark's minInstancesPerNode; unit rows: <= 1)
  double min_weight = 0;        // least weight per child (minWeightFractionPerNode x total weight; unit rows: 0)
  double min_info_gain = 0;     // least normalised gain (Spark's minInfoGain)
};

/// The best split of a node, or feature == -1 when no candidate is valid.
struct Split {
  int feature = -1;
  int bin = 0;                // rows with bin <= this value go left (threshold splits)
  /// Categorical splits: the set of category codes (bins) that go left, as
  /// kCategoryWords bit words; empty for a threshold split.
  std::vector<uint64_t> categories;
  bool default_left = false;  // where the missing bin goes
  double gain = 0;            // normalised: divided by the node's hessian (Newton) or weight
  double loss_reduction = 0;  // unnormalised: score(L) + score(R) - score(node)
  std::vector<double> left_totals;   // statistics of the left child (channels doubles)
  std::vector<double> right_totals;  // and of the right child
  bool valid() const { return feature >= 0; }
};

/// Score of a statistics vector (higher is purer); a split's loss reduction
/// is score(left) + score(right) - score(parent).
double NodeScore(Criterion criterion, const double* stats, int channels, double lambda);

/// The best valid split among `features` of a node whose histogram is
/// `hist` and whose totals are `node` (channels doubles). Ties keep the
/// lowest feature, then the lowest bin, then missing-right. A categorical
/// feature (matrix.cuts().is_categorical) orders its non-empty categories
/// by their leaf value (Newton: G / (H + lambda); impurity: the last
/// class's share) and tries every prefix of that order as the left set:
/// the optimal grouping for two classes or a second-order loss (Fisher's
/// ordering, as LightGBM and Spark do).
Split FindBestSplit(const BinnedMatrix& matrix, std::span<const double> hist, std::span<const double> node,
                    int channels, Criterion criterion, std::span<const int> features,
                    const SplitConstraints& constraints);

/// Leaf output of a node: Newton: one value -G / (H + lambda); impurity:
/// K class probabilities (class weight / weight).
void LeafValue(Criterion criterion, std::span<const double> node, int channels, double lambda, double* out);

}  // namespace ember
