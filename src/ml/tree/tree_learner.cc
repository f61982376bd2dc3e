#include "ml/tree/tree_learner.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "core/error.h"
#include "core/parallel_for.h"
#include "core/random.h"

namespace ember {

namespace {

struct OpenNode {
  int node;
  int depth;
  size_t begin;
  size_t end;
  std::vector<double> hist;   // the histogram of the float statistics
  std::vector<int64_t> sums;  // or, with quantised statistics, its packed integer sums
  std::vector<double> totals;
  Split split;
  /// >= 0: hist (sums) holds the parent's histogram, and this sibling's
  /// (the smaller child, built from rows) is still to be subtracted from it.
  long subtract_sibling = -1;
};

/// A range of one parent's rows, partitioned by one task.
struct PartitionTask {
  size_t parent;  // index into the parents being split
  size_t begin;   // row range, positions in the row array
  size_t end;
  bool whole;  // the task covers the parent's whole range
};

// Nodes of up to this many rows are partitioned by one task.
constexpr size_t kPartitionBlock = 1 << 16;

class Grower {
 public:
  Grower(const BinnedMatrix& m, std::span<const float> stats, const QuantizedGradients* quantized, const GrowOptions& o,
         TreeLearnerScratch& s, const Context& ctx)
      : m_(m),
        stats_(stats),
        quantized_(quantized),
        o_(o),
        s_(s),
        ctx_(ctx),
        C_(ChannelsFor(o.criterion, o.num_classes, o.unit_rows)),
        hist_size_(static_cast<size_t>(m.total_bins()) * static_cast<size_t>(C_)) {
    EMBER_CHECK(!o.unit_rows || (o.constraints.min_instances <= 1 && o.constraints.min_weight <= 0),
                "unit-row statistics cannot check minInstancesPerNode or minWeightFractionPerNode");
    EMBER_CHECK(quantized == nullptr || IsUnitRowLayout(o.criterion, C_),
                "quantised statistics need the unit-row [g, h] layout");
  }

  GrownTree Run(std::vector<uint32_t> rows) {
    EMBER_CHECK(!rows.empty() && m_.num_features() > 0, "GrowTree needs rows and features");
    out_.rows = std::move(rows);
    tree_features_ = SampleTreeFeatures(m_.num_features(), o_.colsample_by_tree, o_.seed, o_.tree_index);
    out_.tree.num_outputs = o_.criterion == Criterion::kNewton ? 1 : o_.num_classes;
    values_.resize(static_cast<size_t>(out_.tree.num_outputs));

    std::vector<OpenNode> open(1);
    OpenNode& root = open[0];
    root.depth = 0;
    root.begin = 0;
    root.end = out_.rows.size();
    TakeHistogram(root);
    BuildHistogramsOf({&root});
    // Root totals: the sum over feature 0's slots (every row lands in one).
    const auto C = static_cast<size_t>(C_);
    const auto feature0_slots = static_cast<size_t>(m_.cuts().num_value_bins(0) + 1);
    root.totals.assign(C, 0.0);
    if (quantized_ != nullptr) {
      int64_t total = 0;
      for (size_t b = 0; b < feature0_slots; ++b) total += root.sums[b];
      DecodeQuantizedSum(total, *quantized_, root.totals.data());
    } else {
      for (size_t b = 0; b < feature0_slots; ++b) {
        for (size_t c = 0; c < C; ++c) root.totals[c] += root.hist[b * C + c];
      }
    }
    AddTreeNode(root);
    FindSplits(open);

    int leaves = 1;
    while (!open.empty()) {
      if (o_.max_leaves > 0) {
        // Leaf-wise: split the open node of largest loss reduction.
        size_t pick = 0;
        for (size_t i = 1; i < open.size(); ++i) {
          if (open[i].split.valid() &&
              (!open[pick].split.valid() || open[i].split.loss_reduction > open[pick].split.loss_reduction)) {
            pick = i;
          }
        }
        if (leaves >= o_.max_leaves || !open[pick].split.valid()) {
          for (OpenNode& n : open) MakeLeaf(n);
          break;
        }
        std::vector<OpenNode> parents;
        parents.push_back(std::move(open[pick]));
        open.erase(open.begin() + static_cast<long>(pick));
        std::vector<OpenNode> children = SplitNodes(parents);
        for (OpenNode& c : children) open.push_back(std::move(c));
        ++leaves;
        continue;
      }
      // Depth-wise: split every node of the level that has a valid split.
      std::vector<OpenNode> parents;
      for (OpenNode& n : open) {
        if (n.split.valid()) {
          parents.push_back(std::move(n));
        } else {
          MakeLeaf(n);
        }
      }
      if (parents.empty()) break;
      open = SplitNodes(parents);
    }
    if (quantized_ != nullptr) SetExactLeafValues();
    return std::move(out_);
  }

 private:
  /// Builds the histograms of `nodes` from their rows, in one batch.
  void BuildHistogramsOf(const std::vector<OpenNode*>& nodes) {
    auto rows_of = [&](const OpenNode* n) {
      return std::span<const uint32_t>(out_.rows).subspan(n->begin, n->end - n->begin);
    };
    if (quantized_ != nullptr) {
      std::vector<QuantizedHistogramJob> jobs;
      for (OpenNode* n : nodes) jobs.push_back({rows_of(n), n->sums});
      BuildQuantizedHistograms(m_, *quantized_, jobs, s_.histogram, ctx_);
    } else {
      std::vector<HistogramJob> jobs;
      for (OpenNode* n : nodes) jobs.push_back({rows_of(n), n->hist});
      BuildHistograms(m_, stats_, C_, jobs, s_.histogram, ctx_);
    }
  }

  /// The tree's shape came from quantised sums; its leaf values come from
  /// the float statistics of each leaf's rows (summed in row order).
  void SetExactLeafValues() {
    ParallelFor(ctx_, out_.leaves.size(), 1, [&](const BlockRange& r) {
      const LeafRows& leaf = out_.leaves[r.begin];
      double totals[2] = {0, 0};
      for (size_t j = leaf.begin; j < leaf.end; ++j) {
        if (j + kLeafPrefetch < leaf.end) __builtin_prefetch(stats_.data() + 2 * out_.rows[j + kLeafPrefetch]);
        const size_t row = out_.rows[j];
        totals[0] += stats_[2 * row];
        totals[1] += stats_[2 * row + 1];
      }
      LeafValue(o_.criterion, totals, C_, o_.constraints.lambda,
                &out_.tree.value[static_cast<size_t>(leaf.node) * static_cast<size_t>(out_.tree.num_outputs)]);
    });
  }

  /// Gives node n an (unzeroed: the builder zeroes it) histogram from the
  /// free ones: packed integer sums with quantised statistics, else doubles.
  void TakeHistogram(OpenNode& n) {
    if (quantized_ != nullptr) {
      n.sums = TakeFree(s_.free_sums, static_cast<size_t>(m_.total_bins()));
    } else {
      n.hist = TakeFree(s_.free_histograms, hist_size_);
    }
  }

  template <class T>
  static std::vector<T> TakeFree(std::vector<std::vector<T>>& free, size_t size) {
    std::vector<T> h;
    if (!free.empty()) {
      h = std::move(free.back());
      free.pop_back();
    }
    h.resize(size);
    return h;
  }

  /// Returns node n's histogram to the free ones.
  void Recycle(OpenNode& n) {
    if (!n.hist.empty()) s_.free_histograms.push_back(std::move(n.hist));
    if (!n.sums.empty()) s_.free_sums.push_back(std::move(n.sums));
    n.hist = {};
    n.sums = {};
  }

  void MakeLeaf(OpenNode& n) {
    out_.leaves.push_back({n.node, n.begin, n.end});
    Recycle(n);
  }

  /// Appends the node to the tree as a leaf with its value and weight.
  void AddTreeNode(OpenNode& n) {
    LeafValue(o_.criterion, n.totals, C_, o_.constraints.lambda, values_.data());
    const double weight = o_.unit_rows ? static_cast<double>(n.end - n.begin) : n.totals[static_cast<size_t>(C_) - 2];
    n.node = out_.tree.AddLeaf(values_.data(), weight);
  }

  /// Splits `parents` (each with a valid split): partitions their rows,
  /// records the splits in the tree, and returns their children (left then
  /// right, in parent order) with histograms built and best splits found.
  std::vector<OpenNode> SplitNodes(std::vector<OpenNode>& parents) {
    const std::vector<size_t> mids = PartitionAll(parents);
    std::vector<OpenNode> children;
    children.reserve(2 * parents.size());
    std::vector<OpenNode*> smaller;  // the children built from their rows
    for (size_t i = 0; i < parents.size(); ++i) {
      OpenNode& p = parents[i];
      Tree& t = out_.tree;
      const auto u = static_cast<size_t>(p.node);
      const Split& split = p.split;
      t.feature[u] = split.feature;
      t.bin[u] = split.bin;
      const std::vector<float>& cuts = m_.cuts().cuts[static_cast<size_t>(split.feature)];
      t.threshold[u] = split.bin < static_cast<int>(cuts.size()) ? cuts[static_cast<size_t>(split.bin)]
                                                                 : std::numeric_limits<float>::infinity();
      if (!split.categories.empty()) {
        t.SetCategorySet(p.node, split.categories.data());
        t.bin[u] = -1;
        t.threshold[u] = std::numeric_limits<float>::quiet_NaN();
      }
      t.default_left[u] = split.default_left ? 1 : 0;
      t.gain[u] = split.loss_reduction;
      const size_t first = children.size();
      children.push_back({-1, p.depth + 1, p.begin, mids[i], {}, {}, std::move(p.split.left_totals), {}, -1});
      children.push_back({-1, p.depth + 1, mids[i], p.end, {}, {}, std::move(p.split.right_totals), {}, -1});
      AddTreeNode(children[first]);
      AddTreeNode(children[first + 1]);
      t.left[u] = children[first].node;
      t.right[u] = children[first + 1].node;
      if (p.depth + 1 >= o_.max_depth) {
        Recycle(p);  // the children cannot split
        continue;
      }
      const bool left_smaller = mids[i] - p.begin <= p.end - mids[i];
      OpenNode& small = children[first + (left_smaller ? 0 : 1)];
      OpenNode& large = children[first + (left_smaller ? 1 : 0)];
      TakeHistogram(small);
      large.hist = std::move(p.hist);
      large.sums = std::move(p.sums);
      large.subtract_sibling = static_cast<long>(first + (left_smaller ? 0 : 1));
      smaller.push_back(&small);
    }
    BuildHistogramsOf(smaller);
    FindSplits(children);
    return children;
  }

  /// Derives the larger children's histograms and finds every node's best
  /// split, in parallel over the nodes.
  void FindSplits(std::vector<OpenNode>& nodes) {
    ParallelFor(ctx_, nodes.size(), 1, [&](const BlockRange& r) {
      OpenNode& n = nodes[r.begin];
      if (n.depth >= o_.max_depth) return;
      const std::vector<int> features = DrawFeatures(n.node);
      const OpenNode* sibling = n.subtract_sibling >= 0 ? &nodes[static_cast<size_t>(n.subtract_sibling)] : nullptr;
      if (quantized_ != nullptr) {
        if (sibling != nullptr) SubtractHistogram(n.sums, sibling->sums);
        // Nodes keep the packed sums (half the memory); the search reads doubles.
        thread_local std::vector<double> decoded;
        decoded.resize(hist_size_);
        DecodeQuantizedHistogram(n.sums, *quantized_, decoded);
        n.split = FindBestSplit(m_, decoded, n.totals, C_, o_.criterion, features, o_.constraints);
        return;
      }
      if (sibling != nullptr) SubtractHistogram(n.hist, sibling->hist);
      n.split = FindBestSplit(m_, n.hist, n.totals, C_, o_.criterion, features, o_.constraints);
    });
  }

  std::vector<int> DrawFeatures(int node) const {
    std::vector<int> f = tree_features_;
    const int d = static_cast<int>(f.size());
    const int k = o_.features_per_node;
    if (k <= 0 || k >= d) return f;
    Rng rng(o_.seed, o_.tree_index * 0x100000001B3ULL + static_cast<uint64_t>(node));
    for (int i = 0; i < k; ++i) {
      const auto j = static_cast<size_t>(i) + rng.Below(static_cast<uint64_t>(d - i));
      std::swap(f[static_cast<size_t>(i)], f[j]);
    }
    f.resize(static_cast<size_t>(k));
    std::sort(f.begin(), f.end());
    return f;
  }

  /// Stable partition of every parent's rows (left first), all parents in
  /// one parallel pass over row blocks; returns each parent's split point.
  std::vector<size_t> PartitionAll(const std::vector<OpenNode>& parents) {
    std::vector<PartitionTask> tasks;
    for (size_t i = 0; i < parents.size(); ++i) {
      const size_t n = parents[i].end - parents[i].begin;
      const size_t blocks = NumBlocks(n, kPartitionBlock);
      for (size_t b = 0; b < blocks; ++b) {
        tasks.push_back({i, parents[i].begin + b * kPartitionBlock,
                         std::min(parents[i].end, parents[i].begin + (b + 1) * kPartitionBlock), blocks == 1});
      }
    }
    s_.block_left.assign(tasks.size(), 0);
    s_.partition.resize(std::max(s_.partition.size(), out_.rows.size()));
    uint32_t* rows = out_.rows.data();
    uint32_t* scratch = s_.partition.data();
    // Pass 1: each task writes its left rows forward and its right rows
    // backward into its own range of the scratch array; a task that covers
    // its whole parent also gathers them back at once.
    ParallelFor(ctx_, tasks.size(), 1, [&](const BlockRange& r) {
      const PartitionTask& t = tasks[r.begin];
      const Split& split = parents[t.parent].split;
      // The side of every bin value, missing bin and category sets included:
      // one table load per row instead of branches.
      const int missing = m_.cuts().missing_bin(split.feature);
      uint8_t goes_left[256];
      for (int b = 0; b < 256; ++b) {
        const bool left = b == missing               ? split.default_left
                          : split.categories.empty() ? b <= split.bin
                                                     : ((split.categories[b / 64] >> (b % 64)) & 1) != 0;
        goes_left[b] = left ? 1 : 0;
      }
      // Row r's bin of the split feature is column[r * stride].
      const bool columns = m_.has_columns();
      const uint8_t* column = columns ? m_.column(split.feature) : m_.row(0) + split.feature;
      const size_t stride = columns ? 1 : static_cast<size_t>(m_.num_features());
      size_t l = t.begin, e = t.end;
      for (size_t i = t.begin; i < t.end; ++i) {
        // A deep node's rows are far apart in the column: fetch ahead.
        if (i + 64 < t.end) __builtin_prefetch(column + rows[i + 64] * stride);
        const uint32_t row = rows[i];
        // Arithmetic, not a branch: the side is data-dependent and would
        // mispredict half the time.
        const size_t left = goes_left[column[row * stride]];
        scratch[l] = row;
        scratch[e - 1] = row;
        l += left;
        e -= 1 - left;
      }
      s_.block_left[r.begin] = l - t.begin;
      if (t.whole) GatherPartition(t.begin, t.begin, t.end, l - t.begin, 0, l - t.begin);
    });
    std::vector<size_t> mids(parents.size());
    std::vector<size_t> left_before(tasks.size());  // left rows of earlier blocks of the same parent
    for (size_t k = 0; k < tasks.size(); ++k) {
      const size_t p = tasks[k].parent;
      if (k == 0 || tasks[k - 1].parent != p) mids[p] = parents[p].begin;
      left_before[k] = mids[p] - parents[p].begin;
      mids[p] += s_.block_left[k];
    }
    // Pass 2: blocks of parents cut into several gather in block order.
    std::vector<size_t> split_tasks;
    for (size_t k = 0; k < tasks.size(); ++k) {
      if (!tasks[k].whole) split_tasks.push_back(k);
    }
    ParallelFor(ctx_, split_tasks.size(), 1, [&](const BlockRange& r) {
      const size_t k = split_tasks[r.begin];
      const PartitionTask& t = tasks[k];
      const size_t parent_begin = parents[t.parent].begin;
      GatherPartition(parent_begin, t.begin, t.end, s_.block_left[k], left_before[k], mids[t.parent] - parent_begin);
    });
    return mids;
  }

  /// Copies a partitioned block [begin, end) of a parent starting at row
  /// position `parent_begin` from the scratch array back to the row array:
  /// its `lefts` left rows after the `left_before` left rows of the
  /// parent's earlier blocks, its right rows (written backward: reversed
  /// back to row order) after the parent's `total_left` left rows and the
  /// earlier blocks' right rows.
  void GatherPartition(size_t parent_begin, size_t begin, size_t end, size_t lefts, size_t left_before,
                       size_t total_left) {
    const uint32_t* in = s_.partition.data();
    uint32_t* rows = out_.rows.data();
    std::copy(in + begin, in + begin + lefts, rows + parent_begin + left_before);
    size_t right = parent_begin + total_left + (begin - parent_begin - left_before);
    for (size_t i = end; i > begin + lefts; --i) rows[right++] = in[i - 1];
  }

  const BinnedMatrix& m_;
  std::span<const float> stats_;
  const QuantizedGradients* quantized_;  // null: histograms of the float statistics
  const GrowOptions& o_;
  TreeLearnerScratch& s_;
  const Context& ctx_;
  const int C_;
  const size_t hist_size_;
  std::vector<double> values_;
  std::vector<int> tree_features_;
  GrownTree out_;
};

}  // namespace

std::vector<int> SampleTreeFeatures(int num_features, double fraction, uint64_t seed, uint64_t tree_index) {
  std::vector<int> f(static_cast<size_t>(num_features));
  std::iota(f.begin(), f.end(), 0);
  if (fraction >= 1.0) return f;
  const int k = std::max(1, static_cast<int>(fraction * num_features));
  if (k >= num_features) return f;
  // A stream apart from the per-node draws (which use stream tree * P + node).
  Rng rng(Mix64(seed ^ 0xC0150A3B1E5EEDULL), tree_index);
  for (int i = 0; i < k; ++i) {
    const auto j = static_cast<size_t>(i) + rng.Below(static_cast<uint64_t>(num_features - i));
    std::swap(f[static_cast<size_t>(i)], f[j]);
  }
  f.resize(static_cast<size_t>(k));
  std::sort(f.begin(), f.end());
  return f;
}

GrownTree GrowTree(const BinnedMatrix& matrix, std::span<const float> stats, std::vector<uint32_t> rows,
                   const GrowOptions& options, TreeLearnerScratch& scratch, const Context& ctx,
                   const QuantizedGradients* quantized) {
  return Grower(matrix, stats, quantized, options, scratch, ctx).Run(std::move(rows));
}

}  // namespace ember
