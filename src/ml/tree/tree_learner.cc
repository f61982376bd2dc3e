#include "ml/tree/tree_learner.h"

#include <algorithm>
#include <deque>
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
  std::vector<double> hist;
  std::vector<double> totals;
  Split split;
};

class Grower {
 public:
  Grower(const BinnedMatrix& m, std::span<const double> stats, const GrowOptions& o, TreeLearnerScratch& s,
         const Context& ctx)
      : m_(m), stats_(stats), o_(o), s_(s), ctx_(ctx), C_(ChannelsFor(o.criterion, o.num_classes)),
        hist_size_(static_cast<size_t>(m.total_bins()) * static_cast<size_t>(C_)) {}

  GrownTree Run(std::vector<uint32_t> rows) {
    EMBER_CHECK(!rows.empty() && m_.num_features() > 0, "GrowTree needs rows and features");
    out_.rows = std::move(rows);
    tree_features_ = SampleTreeFeatures(m_.num_features(), o_.colsample_by_tree, o_.seed, o_.tree_index);
    out_.tree.num_outputs = o_.criterion == Criterion::kNewton ? 1 : o_.num_classes;
    values_.resize(static_cast<size_t>(out_.tree.num_outputs));
    std::deque<OpenNode> open;
    std::vector<double> root_hist = BuildHist(0, out_.rows.size());
    // Root totals: the sum over feature 0's slots (every row lands in one).
    const auto C = static_cast<size_t>(C_);
    std::vector<double> root_totals(C, 0.0);
    for (size_t b = 0; b < static_cast<size_t>(m_.cuts().num_value_bins(0) + 1); ++b) {
      for (size_t c = 0; c < C; ++c) root_totals[c] += root_hist[b * C + c];
    }
    open.push_back(MakeNode(0, 0, out_.rows.size(), std::move(root_hist), std::move(root_totals)));
    int leaves = 1;
    while (!open.empty()) {
      size_t pick = 0;
      if (o_.max_leaves > 0) {
        for (size_t i = 1; i < open.size(); ++i) {
          if (open[i].split.valid() &&
              (!open[pick].split.valid() || open[i].split.loss_reduction > open[pick].split.loss_reduction)) {
            pick = i;
          }
        }
        if (leaves >= o_.max_leaves || !open[pick].split.valid()) {
          for (OpenNode& n : open) {
            out_.leaves.push_back({n.node, n.begin, n.end});
            Recycle(std::move(n.hist));
          }
          break;
        }
      }
      OpenNode node = std::move(open[pick]);
      open.erase(open.begin() + static_cast<long>(pick));
      if (!node.split.valid()) {
        out_.leaves.push_back({node.node, node.begin, node.end});
        Recycle(std::move(node.hist));
        continue;
      }
      const size_t mid = Partition(node);
      std::vector<double> left_hist, right_hist;
      if (node.depth + 1 < o_.max_depth) {
        const bool left_smaller = mid - node.begin <= node.end - mid;
        std::vector<double> small = BuildHist(left_smaller ? node.begin : mid, left_smaller ? mid : node.end);
        SubtractHistogram(node.hist, small);  // node.hist now holds the larger child
        left_hist = left_smaller ? std::move(small) : std::move(node.hist);
        right_hist = left_smaller ? std::move(node.hist) : std::move(small);
      } else {
        Recycle(std::move(node.hist));
      }
      Tree& t = out_.tree;
      const auto u = static_cast<size_t>(node.node);
      t.feature[u] = node.split.feature;
      t.bin[u] = node.split.bin;
      const std::vector<float>& cuts = m_.cuts().cuts[static_cast<size_t>(node.split.feature)];
      t.threshold[u] = node.split.bin < static_cast<int>(cuts.size()) ? cuts[static_cast<size_t>(node.split.bin)]
                                                                        : std::numeric_limits<float>::infinity();
      t.default_left[u] = node.split.default_left ? 1 : 0;
      t.gain[u] = node.split.loss_reduction;
      OpenNode l = MakeNode(node.depth + 1, node.begin, mid, std::move(left_hist), std::move(node.split.left_totals));
      OpenNode r = MakeNode(node.depth + 1, mid, node.end, std::move(right_hist), std::move(node.split.right_totals));
      t.left[u] = l.node;
      t.right[u] = r.node;
      open.push_back(std::move(l));
      open.push_back(std::move(r));
      ++leaves;
    }
    return std::move(out_);
  }

 private:
  void Recycle(std::vector<double> h) {
    if (h.size() == hist_size_) s_.free_histograms.push_back(std::move(h));
  }

  std::vector<double> BuildHist(size_t begin, size_t end) {
    std::vector<double> h;
    if (!s_.free_histograms.empty()) {
      h = std::move(s_.free_histograms.back());
      s_.free_histograms.pop_back();
    }
    h.resize(hist_size_);  // BuildHistogram zeroes it
    BuildHistogram(m_, stats_, C_, std::span<const uint32_t>(out_.rows).subspan(begin, end - begin), h, s_.histogram,
                   ctx_);
    return h;
  }

  /// A new tree node with its statistics totals; children at max_depth get
  /// no histogram (they cannot split).
  OpenNode MakeNode(int depth, size_t begin, size_t end, std::vector<double> hist, std::vector<double> totals) {
    OpenNode n{-1, depth, begin, end, std::move(hist), std::move(totals), {}};
    const auto C = static_cast<size_t>(C_);
    LeafValue(o_.criterion, n.totals, C_, o_.constraints.lambda, values_.data());
    n.node = out_.tree.AddLeaf(values_.data(), n.totals[C - 2]);
    if (depth < o_.max_depth) {
      const std::vector<int> features = DrawFeatures(n.node);
      n.split = FindBestSplit(m_, n.hist, n.totals, C_, o_.criterion, features, o_.constraints);
    }
    return n;
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

  /// Stable partition of the node's rows (left first); returns the split point.
  size_t Partition(const OpenNode& node) {
    const int f = node.split.feature;
    const int missing = m_.cuts().missing_bin(f);
    const int bin = node.split.bin;
    const bool default_left = node.split.default_left;
    // The split feature's column of bins: row r's bin is column[r * stride].
    const uint8_t* column = m_.row(0) + f;
    const auto stride = static_cast<size_t>(m_.num_features());
    auto goes_left = [=](uint32_t r) {
      const int b = column[r * stride];
      return b == missing ? default_left : b <= bin;
    };
    const size_t n = node.end - node.begin;
    uint32_t* rows = out_.rows.data() + node.begin;
    constexpr size_t kBlock = 1 << 17;  // smaller nodes partition inline
    const size_t blocks = NumBlocks(n, kBlock);
    // One pass over the bins: each block writes its left rows forward and
    // its right rows backward into its own range of the scratch array; then
    // the rows are gathered in place in block order (a stable partition).
    s_.block_left.assign(blocks, 0);
    s_.partition.resize(std::max(s_.partition.size(), n));
    ParallelFor(ctx_, n, kBlock, [&](const BlockRange& r) {
      uint32_t* out = s_.partition.data();
      size_t l = r.begin, e = r.end;
      for (size_t i = r.begin; i < r.end; ++i) {
        if (i + 16 < r.end) __builtin_prefetch(column + rows[i + 16] * stride);
        const uint32_t row = rows[i];
        // Branch-free: the side is data-dependent and mispredicts half the time.
        const bool left = goes_left(row);
        out[l] = row;
        out[e - 1] = row;
        l += left ? 1 : 0;
        e -= left ? 0 : 1;
      }
      s_.block_left[r.index] = l - r.begin;
    });
    size_t total_left = 0;
    for (size_t b = 0; b < blocks; ++b) total_left += s_.block_left[b];
    ParallelFor(ctx_, n, kBlock, [&](const BlockRange& r) {
      size_t lpos = 0;
      for (size_t b = 0; b < r.index; ++b) lpos += s_.block_left[b];
      size_t rpos = total_left + r.begin - lpos;
      const uint32_t* in = s_.partition.data();
      const size_t lefts = s_.block_left[r.index];
      std::copy(in + r.begin, in + r.begin + lefts, rows + lpos);
      // Right rows were written backward: reverse them to keep row order.
      for (size_t i = r.end; i > r.begin + lefts; --i) rows[rpos++] = in[i - 1];
    });
    return node.begin + total_left;
  }

  const BinnedMatrix& m_;
  std::span<const double> stats_;
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

GrownTree GrowTree(const BinnedMatrix& matrix, std::span<const double> stats, std::vector<uint32_t> rows,
                   const GrowOptions& options, TreeLearnerScratch& scratch, const Context& ctx) {
  return Grower(matrix, stats, options, scratch, ctx).Run(std::move(rows));
}

}  // namespace ember
