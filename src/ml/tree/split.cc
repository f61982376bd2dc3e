#include "ml/tree/split.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "ml/tree/tree.h"

namespace ember {

int ChannelsFor(Criterion criterion, int num_classes, bool unit_rows) {
  if (criterion == Criterion::kNewton) return unit_rows ? 2 : 4;
  return num_classes + 2;
}

namespace {

/// Newton score G^2 / (H + lambda) of gradient and hessian sums g and h.
inline double NewtonScore(double g, double h, double lambda) { return h + lambda > 0 ? g * g / (h + lambda) : 0.0; }

/// Whether a unit-row child of hessian h may be split off: non-empty (every
/// row's hessian is positive) and at least min_hessian.
inline bool UnitChildOk(double h, double min_hessian) { return h > 0 && h >= min_hessian; }

/// Whether a split's loss reduction stands above the rounding noise of the
/// scores it came from.
inline bool AboveNoise(double reduction, double sl, double sr, double parent_score) {
  return reduction > 1e-12 * (std::abs(sl) + std::abs(sr) + std::abs(parent_score));
}

}  // namespace

double NodeScore(Criterion criterion, const double* s, int channels, double lambda) {
  switch (criterion) {
    case Criterion::kNewton:
      return NewtonScore(s[0], s[1], lambda);
    case Criterion::kGini: {
      const double w = s[channels - 2];
      if (!(w > 0)) return 0.0;
      double sq = 0;
      for (int k = 0; k < channels - 2; ++k) sq += s[k] * s[k];
      return sq / w - w;
    }
    case Criterion::kEntropy: {
      const double w = s[channels - 2];
      if (!(w > 0)) return 0.0;
      double sum = 0;
      for (int k = 0; k < channels - 2; ++k) {
        if (s[k] > 0) sum += s[k] * std::log2(s[k]);
      }
      return sum - w * std::log2(w);
    }
  }
  return 0.0;
}

namespace {

struct Checker {
  Criterion criterion;
  int channels;
  const SplitConstraints& c;

  bool ChildOk(const double* s) const {
    // Unit rows: the hessian stands for the count (every row's is positive).
    if (IsUnitRowLayout(criterion, channels)) return UnitChildOk(s[1], c.min_child_weight);
    const double count = s[channels - 1];
    const double weight = s[channels - 2];
    const double hess = criterion == Criterion::kNewton ? s[1] : weight;
    return count >= c.min_instances && count > 0 && weight >= c.min_weight && hess >= c.min_child_weight;
  }
};

}  // namespace

Split FindBestSplit(const BinnedMatrix& matrix, std::span<const double> hist, std::span<const double> node,
                    int channels, Criterion criterion, std::span<const int> features,
                    const SplitConstraints& constraints) {
  const auto C = static_cast<size_t>(channels);
  const double lambda = constraints.lambda;
  const double parent_score = NodeScore(criterion, node.data(), channels, lambda);
  const double norm = criterion == Criterion::kNewton ? node[1] : node[C - 2];
  // Channels that tell a non-empty bin (count) and the weight of a side.
  const bool unit_rows = IsUnitRowLayout(criterion, channels);
  const size_t count_channel = unit_rows ? 1 : C - 1;
  const size_t weight_channel = unit_rows ? 1 : C - 2;
  const Checker check{criterion, channels, constraints};
  Split best;
  std::vector<double> left(C), right(C), left_m(C), right_m(C), values(C);
  // The categories of the feature being scanned, in their sorted order
  // (categorical features only): a split at b sends order[0..b] left.
  std::vector<int> order;
  bool scanning_categories = false;
  // A candidate whose children l and r (C statistics each) passed the
  // checks and scored sl and sr.
  auto offer = [&](double sl, double sr, const double* l, const double* r, int f, int b, bool default_left) {
    const double reduction = sl + sr - parent_score;
    if (!AboveNoise(reduction, sl, sr, parent_score)) return;
    const double gain = norm > 0 ? reduction / norm : reduction;
    if (gain < constraints.min_info_gain) return;
    if (!best.valid() || reduction > best.loss_reduction) {
      best.feature = f;
      best.bin = b;
      best.default_left = default_left;
      best.gain = gain;
      best.loss_reduction = reduction;
      best.left_totals.assign(l, l + C);
      best.right_totals.assign(r, r + C);
      best.categories.clear();
      if (scanning_categories) {
        best.categories.assign(kCategoryWords, 0);
        for (int j = 0; j <= b; ++j) {
          const auto code = static_cast<size_t>(order[static_cast<size_t>(j)]);
          best.categories[code / 64] |= uint64_t{1} << (code % 64);
        }
      }
    }
  };
  auto consider = [&](const double* l, const double* r, int f, int b, bool default_left) {
    if (!check.ChildOk(l) || !check.ChildOk(r)) return;
    offer(NodeScore(criterion, l, channels, lambda), NodeScore(criterion, r, channels, lambda), l, r, f, b,
          default_left);
  };
  // The same for unit rows ([g, h] per side, checked and scored inline: the
  // scan of a deep tree's nodes runs this once per bin and direction).
  const double min_hessian = constraints.min_child_weight;
  auto consider_unit = [&](double gl, double hl, double gr, double hr, int f, int b, bool default_left) {
    if (!UnitChildOk(hl, min_hessian) || !UnitChildOk(hr, min_hessian)) return;
    const double l[2] = {gl, hl}, r[2] = {gr, hr};
    offer(NewtonScore(gl, hl, lambda), NewtonScore(gr, hr, lambda), l, r, f, b, default_left);
  };
  std::vector<double> keys;
  // The unit-row scan's left sums and reductions per threshold.
  constexpr double kNoSplit = -std::numeric_limits<double>::infinity();
  std::vector<double> left_g, left_h, reductions;
  if (unit_rows) {
    int most = 0;
    for (int f : features) most = std::max(most, matrix.cuts().num_value_bins(f));
    left_g.resize(static_cast<size_t>(most));
    left_h.resize(static_cast<size_t>(most));
    reductions.resize(static_cast<size_t>(most));
  }
  for (int f : features) {
    const int bins = matrix.cuts().num_value_bins(f);
    const double* h = hist.data() + static_cast<size_t>(matrix.bin_offset(f)) * C;
    const double* missing = h + static_cast<size_t>(bins) * C;
    const bool has_missing = missing[count_channel] > 0;
    for (size_t c = 0; c < C; ++c) {
      values[c] = node[c] - missing[c];
      left[c] = 0;
    }
    // Threshold features scan bins in value order; categorical ones scan
    // their non-empty categories in order of leaf value.
    scanning_categories = matrix.cuts().is_categorical(f);
    int steps = bins;
    if (scanning_categories) {
      order.clear();
      keys.assign(static_cast<size_t>(bins), 0.0);
      for (int b = 0; b < bins; ++b) {
        const double* hb = h + static_cast<size_t>(b) * C;
        if (!(hb[count_channel] > 0)) continue;
        order.push_back(b);
        keys[static_cast<size_t>(b)] =
            criterion == Criterion::kNewton ? hb[0] / (hb[1] + lambda) : hb[C - 3] / hb[C - 2];
      }
      std::stable_sort(order.begin(), order.end(),
                       [&](int a, int b) { return keys[static_cast<size_t>(a)] < keys[static_cast<size_t>(b)]; });
      steps = static_cast<int>(order.size());
    }
    if (unit_rows && !scanning_categories && !has_missing) {
      // As consider_unit over b = 0 .. steps - 2, in three passes: the left
      // sums; every threshold's reduction (or -inf when a check fails) in
      // one vectorised pass, the same arithmetic; then offer in bin order
      // only those that beat the best so far.
      const auto thresholds = static_cast<size_t>(std::max(steps - 1, 0));
      double gl = 0, hl = 0;
      for (size_t b = 0; b < thresholds; ++b) {
        left_g[b] = gl += h[b * 2];
        left_h[b] = hl += h[b * 2 + 1];
      }
      const double g = values[0], hess = values[1];
      // Written for the vectoriser (with this file's -fno-trapping-math):
      // one condition, and every division done (a division under a
      // condition is a branch). Equal to UnitChildOk and NewtonScore:
      // h > 0 and h >= min_hessian is h >= at_least, and a child that passes
      // has h + lambda >= h > 0 (lambda >= 0), which the floor leaves alone.
      constexpr double kSmallest = std::numeric_limits<double>::denorm_min();
      const double at_least = std::max(min_hessian, kSmallest);
#pragma omp simd
      for (size_t b = 0; b < thresholds; ++b) {
        const double lg = left_g[b], lh = left_h[b], rg = g - lg, rh = hess - lh;
        const double sl = lg * lg / std::max(lh + lambda, kSmallest);
        const double sr = rg * rg / std::max(rh + lambda, kSmallest);
        const double reduction = sl + sr - parent_score;
        const bool ok = std::min(lh, rh) >= at_least && AboveNoise(reduction, sl, sr, parent_score);
        reductions[b] = ok ? reduction : kNoSplit;
      }
      // The reduction to beat, in a register (kNoSplit: any passing threshold).
      double bar = best.valid() ? best.loss_reduction : kNoSplit;
      for (size_t b = 0; b < thresholds; ++b) {
        if (!(reductions[b] > bar)) continue;
        const double lg = left_g[b], lh = left_h[b];
        consider_unit(lg, lh, g - lg, hess - lh, f, static_cast<int>(b), false);
        bar = best.valid() ? best.loss_reduction : kNoSplit;
      }
      continue;
    }
    if (unit_rows && !scanning_categories) {
      // With missing values: as the general loop below, with the two
      // channels in registers.
      double gl = 0, hl = 0;
      for (int b = 0; b < steps; ++b) {
        gl += h[static_cast<size_t>(b) * 2];
        hl += h[static_cast<size_t>(b) * 2 + 1];
        const double gr = values[0] - gl, hr = values[1] - hl;
        consider_unit(gl, hl, gr + missing[0], hr + missing[1], f, b, false);
        if (b + 1 < steps) consider_unit(gl + missing[0], hl + missing[1], gr, hr, f, b, true);
      }
      continue;
    }
    for (int b = 0; b < steps; ++b) {
      const size_t at = static_cast<size_t>(scanning_categories ? order[static_cast<size_t>(b)] : b);
      for (size_t c = 0; c < C; ++c) {
        left[c] += h[at * C + c];
        right[c] = values[c] - left[c];
        right_m[c] = right[c] + missing[c];
        left_m[c] = left[c] + missing[c];
      }
      if (!has_missing) {
        if (b + 1 < steps) consider(left.data(), right.data(), f, b, false);
        continue;
      }
      consider(left.data(), right_m.data(), f, b, false);
      if (b + 1 < steps) consider(left_m.data(), right.data(), f, b, true);
    }
  }
  scanning_categories = false;
  if (best.valid()) {
    // Without missing values in training, send unseen NaN to the heavier
    // child (by weight; unit rows: by hessian).
    const int f = best.feature;
    const double* h = hist.data() + static_cast<size_t>(matrix.bin_offset(f)) * C;
    const double* missing = h + static_cast<size_t>(matrix.cuts().num_value_bins(f)) * C;
    if (!(missing[count_channel] > 0)) {
      double wl = 0;
      for (int b = 0; b < matrix.cuts().num_value_bins(f); ++b) {
        const bool goes_left =
            best.categories.empty() ? b <= best.bin : ((best.categories[static_cast<size_t>(b) / 64] >> (b % 64)) & 1);
        if (goes_left) wl += h[static_cast<size_t>(b) * C + weight_channel];
      }
      best.default_left = wl > node[weight_channel] - wl;
    }
  }
  return best;
}

void LeafValue(Criterion criterion, std::span<const double> node, int channels, double lambda, double* out) {
  if (criterion == Criterion::kNewton) {
    const double denom = node[1] + lambda;
    out[0] = denom > 0 ? -node[0] / denom : 0.0;
    return;
  }
  const double w = node[static_cast<size_t>(channels) - 2];
  for (int k = 0; k < channels - 2; ++k) out[k] = w > 0 ? node[static_cast<size_t>(k)] / w : 0.0;
}

}  // namespace ember
