#include "ml/tree/tree.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ember {

int Tree::AddLeaf(const double* values, double node_weight) {
  const auto n = static_cast<int>(feature.size());
  feature.push_back(-1);
  bin.push_back(0);
  threshold.push_back(0.0f);
  default_left.push_back(0);
  left.push_back(-1);
  right.push_back(-1);
  value.insert(value.end(), values, values + num_outputs);
  gain.push_back(0.0);
  weight.push_back(node_weight);
  category_set.push_back(-1);
  return n;
}

void Tree::SetCategorySet(int n, const uint64_t* words) {
  category_set[static_cast<size_t>(n)] = static_cast<int32_t>(category_bits.size() / kCategoryWords);
  category_bits.insert(category_bits.end(), words, words + kCategoryWords);
}

int Tree::Depth() const {
  if (feature.empty()) return 0;
  std::vector<int> depth(num_nodes(), 0);
  int deepest = 0;
  // Children always have higher indices than their parent.
  for (size_t n = 0; n < num_nodes(); ++n) {
    deepest = std::max(deepest, depth[n]);
    if (feature[n] >= 0) {
      depth[static_cast<size_t>(left[n])] = depth[n] + 1;
      depth[static_cast<size_t>(right[n])] = depth[n] + 1;
    }
  }
  return deepest;
}

std::string Tree::ToDebugString(int indent) const {
  std::string out;
  auto emit = [&](auto&& self, int n, int level) -> void {
    const auto u = static_cast<size_t>(n);
    const std::string pad(static_cast<size_t>(indent + level), ' ');
    if (feature[u] < 0) {
      if (num_outputs == 1) {
        out += fmt::format("{}Predict: {}\n", pad, value[u]);
      } else {
        out += fmt::format("{}Predict: [{}]\n", pad,
                           fmt::join(value.begin() + static_cast<long>(u) * num_outputs,
                                     value.begin() + static_cast<long>(u + 1) * num_outputs, ", "));
      }
      return;
    }
    const char* nan_left = default_left[u] ? " or NaN" : "";
    const char* nan_right = default_left[u] ? "" : " or NaN";
    if (category_set[u] >= 0) {
      // Spark's form: "If (feature 3 in {0.0,2.0})".
      std::vector<std::string> codes;
      for (int c = 0; c < static_cast<int>(64 * kCategoryWords); ++c) {
        if (InCategorySet(u, c)) codes.push_back(fmt::format("{}.0", c));
      }
      out += fmt::format("{}If (feature {} in {{{}}}{})\n", pad, feature[u], fmt::join(codes, ","), nan_left);
      self(self, left[u], level + 1);
      out += fmt::format("{}Else (feature {} not in {{{}}}{})\n", pad, feature[u], fmt::join(codes, ","), nan_right);
      self(self, right[u], level + 1);
      return;
    }
    out += fmt::format("{}If (feature {} <= {}{})\n", pad, feature[u], threshold[u], nan_left);
    self(self, left[u], level + 1);
    out += fmt::format("{}Else (feature {} > {}{})\n", pad, feature[u], threshold[u], nan_right);
    self(self, right[u], level + 1);
  };
  if (!feature.empty()) emit(emit, 0, 0);
  return out;
}

}  // namespace ember
