#include "ml/tree/tree_ensemble.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/parallel_for.h"
#include "ml/tree/complete_tree.h"

namespace ember {

namespace {

/// One node as traversal reads it: a single 16-byte load per step. Leaves
/// point to themselves, so a walk of a tree's depth in steps ends at the
/// leaf whatever path it took (no per-row loop exit to mispredict).
struct PackedNode {
  float threshold;
  uint32_t feature;  // the feature index, | kNanLeft when NaN goes left; 0 at leaves
  int32_t child[2];  // [left, right]; both the node itself at leaves
};
static_assert(sizeof(PackedNode) == 16);
constexpr uint32_t kNanLeft = 1u << 31;

/// The child of node p that row x goes to.
inline int32_t Step(const PackedNode& p, const float* x) {
  const float v = x[p.feature & ~kNanLeft];
  const bool right = v != v ? (p.feature & kNanLeft) == 0 : !(v <= p.threshold);
  return p.child[right ? 1 : 0];
}

// Rows (batch) or trees (one row) walked in lockstep: independent chains of
// loads that the core overlaps.
constexpr size_t kLanes = 8;

}  // namespace

struct TreeEnsemble::Packed {
  std::vector<PackedNode> nodes;
  std::vector<size_t> first;  // per tree: index of its root in nodes
  std::vector<int> depth;     // per tree
  /// Per group of kLanes trees from tree 0: the largest depth, or -1 when
  /// a tree of the group has categorical splits (set lookups: per-row walk).
  std::vector<int> group_depth;
  /// Per tree: its complete layout, when it has one. Batch prediction walks
  /// these; trees over kMaxCompleteTreeDepth or with categorical splits
  /// take the nodes above.
  std::vector<std::optional<CompleteTree>> complete;
  bool any_complete = false;

  /// leaf[j] for rows j < m (m <= kCompleteBlockRows) of tree t: x holds
  /// them row by row, and block as FillCompleteTreeBlock wrote them when
  /// any_complete.
  void Leaves(size_t t, const Tree& tree, const float* x, size_t d, const int32_t* block, size_t m,
              int32_t* leaf) const {
    if (complete[t]) {
      CompleteTreeLeaves(*complete[t], block, m, leaf);
      return;
    }
    size_t i = 0;
    if (!tree.has_categorical_splits()) {  // categorical splits: per-row walk (set lookups)
      const PackedNode* tree_nodes = nodes.data() + first[t];
      for (; i + kLanes <= m; i += kLanes) {
        int32_t at[kLanes] = {};
        for (int step = 0; step < depth[t]; ++step) {
          for (size_t j = 0; j < kLanes; ++j) at[j] = Step(tree_nodes[at[j]], x + (i + j) * d);
        }
        for (size_t j = 0; j < kLanes; ++j) leaf[i + j] = at[j];
      }
    }
    for (; i < m; ++i) leaf[i] = LeafOfRow(tree, x + i * d);
  }
};

std::shared_ptr<const TreeEnsemble::Packed> TreeEnsemble::packed() const {
  size_t num_nodes = 0;
  for (const Tree& t : trees) num_nodes += t.num_nodes();
  const std::lock_guard<std::mutex> lock(pack_cache_->mutex);
  const std::shared_ptr<const Packed>& cached = pack_cache_->packed;
  if (cached && cached->first.size() == trees.size() && cached->nodes.size() == num_nodes) return cached;
  auto p = std::make_shared<Packed>();
  p->nodes.reserve(num_nodes);
  for (const Tree& t : trees) {
    p->first.push_back(p->nodes.size());
    p->depth.push_back(t.Depth());
    for (size_t u = 0; u < t.num_nodes(); ++u) {
      const auto self = static_cast<int32_t>(u);
      if (t.feature[u] < 0) {
        p->nodes.push_back({0.0f, 0, {self, self}});
      } else {
        const uint32_t flag = t.default_left[u] != 0 ? kNanLeft : 0;
        p->nodes.push_back({t.threshold[u], static_cast<uint32_t>(t.feature[u]) | flag, {t.left[u], t.right[u]}});
      }
    }
  }
  for (const Tree& t : trees) {
    p->complete.push_back(MakeCompleteTree(t, num_features));
    p->any_complete = p->any_complete || p->complete.back().has_value();
  }
  for (size_t g = 0; g < trees.size(); g += kLanes) {
    int depth = 0;
    bool categorical = false;
    for (size_t t = g; t < std::min(trees.size(), g + kLanes); ++t) {
      depth = std::max(depth, p->depth[t]);
      categorical = categorical || trees[t].has_categorical_splits();
    }
    p->group_depth.push_back(categorical ? -1 : depth);
  }
  pack_cache_->packed = p;
  return p;
}

void TreeEnsemble::Predict(const Column& features, std::span<double> raw, const Context& ctx) const {
  const size_t n = features.length();
  const auto K = static_cast<size_t>(num_outputs);
  const auto d = static_cast<size_t>(num_features);
  EMBER_CHECK(raw.size() == n * K, "prediction buffer of {} for {} rows x {} outputs", raw.size(), n, K);
  EMBER_CHECK(features.type().dim == num_features, "features of dim {}, model has {}", features.type().dim,
              num_features);
  const bool sparse = features.type().id == TypeId::kSparseVector;
  const float* dense = sparse ? nullptr : features.buffers().values->as<float>().data();
  const double scale = combine == EnsembleCombine::kAverage && !trees.empty() ? 1.0 / trees.size() : 1.0;
  const std::shared_ptr<const Packed> packed_trees = packed();
  const Packed& packed = *packed_trees;
  // Chunks of rows in parallel; inside a chunk, blocks small enough to stay
  // in L1 cache while every tree walks them.
  constexpr size_t kChunk = 2048;
  ParallelFor(ctx, n, kChunk, [&](const BlockRange& r) {
    const size_t rows = r.end - r.begin;
    std::vector<float> densified;
    const float* chunk = dense ? dense + r.begin * d : nullptr;
    if (sparse) {
      densified.assign(rows * d, 0.0f);
      for (size_t i = 0; i < rows; ++i) {
        const SparseRow row = features.SparseRowAt(r.begin + i);
        for (size_t k = 0; k < row.indices.size(); ++k) densified[i * d + row.indices[k]] = row.values[k];
      }
      chunk = densified.data();
    }
    std::vector<double> sums(rows * K, 0.0);
    std::vector<int32_t> block;
    int32_t leaf[kCompleteBlockRows];
    for (size_t b = 0; b < rows; b += kCompleteBlockRows) {
      const size_t m = std::min(kCompleteBlockRows, rows - b);
      const float* x = chunk + b * d;
      if (packed.any_complete) FillCompleteTreeBlock(x, d, m, block);
      for (size_t t = 0; t < trees.size(); ++t) {
        const Tree& tree = trees[t];
        const int slot = tree_output[t];
        double* out = sums.data() + b * K;
        const std::optional<CompleteTree>& complete = packed.complete[t];
        if (complete && !complete->leaf_value.empty()) {
          AddCompleteTreeValues(*complete, block.data(), m, out + std::max(slot, 0), K);
          continue;
        }
        packed.Leaves(t, tree, x, d, block.data(), m, leaf);
        if (slot >= 0) {
          for (size_t j = 0; j < m; ++j)
            out[j * K + static_cast<size_t>(slot)] += tree.value[static_cast<size_t>(leaf[j])];
        } else {
          for (size_t j = 0; j < m; ++j) {
            const double* v = tree.value.data() + static_cast<size_t>(leaf[j]) * K;
            for (size_t k = 0; k < K; ++k) out[j * K + k] += v[k];
          }
        }
      }
    }
    double* out = raw.data() + r.begin * K;
    for (size_t i = 0; i < rows; ++i) {
      for (size_t k = 0; k < K; ++k) out[i * K + k] = init[k] + scale * sums[i * K + k];
    }
  });
}

void TreeEnsemble::PredictRow(std::span<const float> x, std::span<double> raw) const {
  const auto K = static_cast<size_t>(num_outputs);
  EMBER_CHECK(x.size() == static_cast<size_t>(num_features) && raw.size() == K,
              "row of {} values for {} features, {} outputs for {}", x.size(), num_features, raw.size(), K);
  std::fill(raw.begin(), raw.end(), 0.0);
  auto add_leaf = [&](size_t t, int leaf) {
    const Tree& tree = trees[t];
    const auto u = static_cast<size_t>(leaf);
    if (tree_output[t] >= 0) {
      raw[static_cast<size_t>(tree_output[t])] += tree.value[u];
    } else {
      for (size_t k = 0; k < K; ++k) raw[k] += tree.value[u * K + k];
    }
  };
  // kLanes trees walked in lockstep: their chains of dependent loads overlap.
  const std::shared_ptr<const Packed> packed_trees = packed();
  const Packed& packed = *packed_trees;
  size_t t = 0;
  for (; t + kLanes <= trees.size(); t += kLanes) {
    const int depth = packed.group_depth[t / kLanes];
    if (depth < 0) {
      for (size_t j = 0; j < kLanes; ++j) add_leaf(t + j, LeafOfRow(trees[t + j], x.data()));
      continue;
    }
    const PackedNode* roots[kLanes];
    int32_t at[kLanes] = {};
    for (size_t j = 0; j < kLanes; ++j) roots[j] = packed.nodes.data() + packed.first[t + j];
    for (int step = 0; step < depth; ++step) {
      for (size_t j = 0; j < kLanes; ++j) at[j] = Step(roots[j][at[j]], x.data());
    }
    for (size_t j = 0; j < kLanes; ++j) add_leaf(t + j, at[j]);
  }
  for (; t < trees.size(); ++t) add_leaf(t, LeafOfRow(trees[t], x.data()));
  const double scale = combine == EnsembleCombine::kAverage && !trees.empty() ? 1.0 / trees.size() : 1.0;
  for (size_t k = 0; k < K; ++k) raw[k] = init[k] + scale * raw[k];
}

std::vector<double> TreeEnsemble::FeatureImportances() const {
  std::vector<double> total(static_cast<size_t>(num_features), 0.0);
  std::vector<double> one(total.size());
  for (const Tree& t : trees) {
    std::fill(one.begin(), one.end(), 0.0);
    double sum = 0;
    for (size_t n = 0; n < t.num_nodes(); ++n) {
      if (t.feature[n] >= 0) {
        one[static_cast<size_t>(t.feature[n])] += t.gain[n];
        sum += t.gain[n];
      }
    }
    if (sum > 0) {
      for (size_t f = 0; f < one.size(); ++f) total[f] += one[f] / sum;
    }
  }
  double sum = 0;
  for (double v : total) sum += v;
  if (sum > 0) {
    for (double& v : total) v /= sum;
  }
  return total;
}

std::string TreeEnsemble::ToDebugString(const std::string& title) const {
  std::string out = fmt::format("{} with {} trees\n", title, trees.size());
  for (size_t t = 0; t < trees.size(); ++t) {
    out += fmt::format("  Tree {}:\n", t);
    out += trees[t].ToDebugString(4);
  }
  return out;
}

void TreeEnsemble::Save(ArtifactWriter& w) const {
  std::vector<int64_t> offsets{0};
  std::vector<int32_t> feature, bin, default_left, left, right, category_set;
  std::vector<int64_t> category_bits;
  std::vector<float> threshold;
  std::vector<double> value, gain, weight;
  for (const Tree& t : trees) {
    offsets.push_back(offsets.back() + static_cast<int64_t>(t.num_nodes()));
    feature.insert(feature.end(), t.feature.begin(), t.feature.end());
    bin.insert(bin.end(), t.bin.begin(), t.bin.end());
    threshold.insert(threshold.end(), t.threshold.begin(), t.threshold.end());
    default_left.insert(default_left.end(), t.default_left.begin(), t.default_left.end());
    left.insert(left.end(), t.left.begin(), t.left.end());
    right.insert(right.end(), t.right.begin(), t.right.end());
    value.insert(value.end(), t.value.begin(), t.value.end());
    gain.insert(gain.end(), t.gain.begin(), t.gain.end());
    weight.insert(weight.end(), t.weight.begin(), t.weight.end());
    // Set indices are per tree: offset them by the sets of earlier trees.
    const auto sets_before = static_cast<int32_t>(category_bits.size() / kCategoryWords);
    for (int32_t set : t.category_set) category_set.push_back(set < 0 ? -1 : set + sets_before);
    category_bits.insert(category_bits.end(), t.category_bits.begin(), t.category_bits.end());
  }
  w.PutInt64s("treeNodeOffsets", offsets);
  w.PutInt32s("treeOutput", tree_output);
  w.PutInt32s("feature", feature);
  w.PutInt32s("thresholdBin", bin);
  w.PutFloats("threshold", threshold);
  w.PutInt32s("defaultLeft", default_left);
  w.PutInt32s("left", left);
  w.PutInt32s("right", right);
  w.PutDoubles("value", value);
  w.PutDoubles("gain", gain);
  w.PutDoubles("weight", weight);
  w.PutDoubles("init", init);
  w.PutInt32s("categorySet", category_set);
  w.PutInt64s("categoryBits", category_bits);
  w.extra()["numFeatures"] = num_features;
  w.extra()["numOutputs"] = num_outputs;
  w.extra()["combine"] = combine == EnsembleCombine::kSum ? "sum" : "average";
}

TreeEnsemble TreeEnsemble::Load(const ArtifactReader& r) {
  TreeEnsemble e;
  auto bad = [&](const std::string& what) {
    return CorruptData(fmt::format("'{}': tree ensemble: {}", r.dir(), what));
  };
  e.num_features = r.ExtraValue<int>("numFeatures");
  e.num_outputs = r.ExtraValue<int>("numOutputs");
  const auto combine = r.ExtraValue<std::string>("combine");
  if (combine != "sum" && combine != "average") throw bad("combine must be 'sum' or 'average'");
  e.combine = combine == "sum" ? EnsembleCombine::kSum : EnsembleCombine::kAverage;
  if (e.num_features < 0 || e.num_outputs < 1) throw bad("bad numFeatures or numOutputs");
  e.init = r.GetDoubles("init");
  if (e.init.size() != static_cast<size_t>(e.num_outputs)) throw bad("init does not hold numOutputs values");
  const auto offsets = r.GetInt64s("treeNodeOffsets");
  e.tree_output = r.GetInt32s("treeOutput");
  const auto feature = r.GetInt32s("feature");
  const auto bin = r.GetInt32s("thresholdBin");
  const auto threshold = r.GetFloats("threshold");
  const auto default_left = r.GetInt32s("defaultLeft");
  const auto left = r.GetInt32s("left");
  const auto right = r.GetInt32s("right");
  const auto value = r.GetDoubles("value");
  const auto gain = r.GetDoubles("gain");
  const auto weight = r.GetDoubles("weight");
  const size_t nodes = feature.size();
  // Models saved before categorical splits existed have neither array.
  const bool has_categories = r.metadata().contains("arrays") && r.metadata()["arrays"].contains("categorySet");
  const auto category_set = has_categories ? r.GetInt32s("categorySet") : std::vector<int32_t>(nodes, -1);
  const auto category_bits = has_categories ? r.GetInt64s("categoryBits") : std::vector<int64_t>{};
  if (category_set.size() != nodes || category_bits.size() % kCategoryWords != 0) {
    throw bad("category arrays do not match the node arrays");
  }
  if (offsets.empty() || offsets.front() != 0 || static_cast<size_t>(offsets.back()) != nodes ||
      e.tree_output.size() + 1 != offsets.size()) {
    throw bad("treeNodeOffsets do not match the node arrays");
  }
  for (const auto* a : {&bin, &default_left, &left, &right}) {
    if (a->size() != nodes) throw bad("node arrays differ in length");
  }
  if (threshold.size() != nodes || gain.size() != nodes || weight.size() != nodes) {
    throw bad("node arrays differ in length");
  }
  size_t value_pos = 0;
  for (size_t t = 0; t + 1 < offsets.size(); ++t) {
    if (offsets[t + 1] <= offsets[t]) throw bad(fmt::format("tree {} has no nodes", t));
    const auto b = static_cast<size_t>(offsets[t]);
    const auto size = static_cast<size_t>(offsets[t + 1]) - b;
    const int slot = e.tree_output[t];
    if (slot < -1 || slot >= e.num_outputs) throw bad(fmt::format("tree {} writes output {}", t, slot));
    Tree tree;
    tree.num_outputs = slot >= 0 ? 1 : e.num_outputs;
    const size_t values = size * static_cast<size_t>(tree.num_outputs);
    if (value_pos + values > value.size()) throw bad("too few leaf values");
    for (size_t i = 0; i < size; ++i) {
      const size_t j = b + i;
      const bool leaf = feature[j] < 0;
      // Children must come after their parent and inside the tree: no cycles.
      if (!leaf &&
          (feature[j] >= e.num_features || left[j] <= static_cast<int32_t>(i) || right[j] <= static_cast<int32_t>(i) ||
           left[j] >= static_cast<int32_t>(size) || right[j] >= static_cast<int32_t>(size))) {
        throw bad(fmt::format("tree {} node {} has an invalid feature or child", t, i));
      }
    }
    tree.feature.assign(feature.begin() + static_cast<long>(b), feature.begin() + static_cast<long>(b + size));
    tree.bin.assign(bin.begin() + static_cast<long>(b), bin.begin() + static_cast<long>(b + size));
    tree.threshold.assign(threshold.begin() + static_cast<long>(b), threshold.begin() + static_cast<long>(b + size));
    for (size_t i = 0; i < size; ++i) tree.default_left.push_back(default_left[b + i] != 0 ? 1 : 0);
    tree.left.assign(left.begin() + static_cast<long>(b), left.begin() + static_cast<long>(b + size));
    tree.right.assign(right.begin() + static_cast<long>(b), right.begin() + static_cast<long>(b + size));
    tree.value.assign(value.begin() + static_cast<long>(value_pos),
                      value.begin() + static_cast<long>(value_pos + values));
    tree.gain.assign(gain.begin() + static_cast<long>(b), gain.begin() + static_cast<long>(b + size));
    tree.weight.assign(weight.begin() + static_cast<long>(b), weight.begin() + static_cast<long>(b + size));
    // Sets are renumbered per tree; each node's set must exist.
    tree.category_set.assign(size, -1);
    for (size_t i = 0; i < size; ++i) {
      const int32_t set = category_set[b + i];
      if (set < 0 || feature[b + i] < 0) continue;
      if (static_cast<size_t>(set) >= category_bits.size() / kCategoryWords) {
        throw bad(fmt::format("tree {} node {} has an invalid category set", t, i));
      }
      std::vector<uint64_t> words(kCategoryWords);
      for (size_t k = 0; k < kCategoryWords; ++k) {
        words[k] = static_cast<uint64_t>(category_bits[static_cast<size_t>(set) * kCategoryWords + k]);
      }
      tree.SetCategorySet(static_cast<int>(i), words.data());
    }
    value_pos += values;
    e.trees.push_back(std::move(tree));
  }
  if (value_pos != value.size()) throw bad("too many leaf values");
  return e;
}

}  // namespace ember
