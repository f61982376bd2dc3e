#include "ml/eval/binary_curve.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "core/error.h"
#include "core/parallel_for.h"
#include "ml/eval/score_sort.h"

namespace ember {
namespace {

constexpr uint32_t kLabelBit = 0x80000000u;
constexpr uint32_t kRowMask = 0x7FFFFFFFu;
// Nominal rows per sweep block; each boundary then moves forward to the
// start of a tie group, so a threshold never straddles two blocks.
constexpr size_t kSweepBlock = size_t{1} << 16;

struct Totals {
  double positive = 0;
  double negative = 0;
};

struct Partial {
  double roc = 0;  // sum over groups of negative_g * (tp_before + positive_g / 2)
  double pr = 0;
  double ap = 0;
  size_t thresholds = 0;
};

// Spark's precision: 1 when nothing is predicted positive yet.
double Precision(double tp, double fp) { return tp + fp == 0 ? 1.0 : tp / (tp + fp); }

template <class K>
BinaryCurveAreas Sweep(std::span<const SortRecord<K>> sorted, std::span<const double> weights, const Context& ctx) {
  const size_t n = sorted.size();
  const bool weighted = !weights.empty();
  auto weight = [&](uint32_t payload) { return weighted ? weights[payload & kRowMask] : 1.0; };
  auto same_key = [](const SortRecord<K>& a, const SortRecord<K>& b) { return a.key == b.key; };

  const size_t blocks = NumBlocks(n, kSweepBlock);
  std::vector<size_t> starts(blocks + 1, n);
  starts[0] = 0;
  for (size_t b = 1; b < blocks; ++b) {
    size_t s = std::max(b * kSweepBlock, starts[b - 1]);
    if (s > 0 && s < n && same_key(sorted[s], sorted[s - 1])) {
      const K key = sorted[s - 1].key;
      s = static_cast<size_t>(std::upper_bound(sorted.begin() + static_cast<std::ptrdiff_t>(s), sorted.end(), key,
                                               [](K k, const SortRecord<K>& r) { return k < r.key; }) -
                              sorted.begin());
    }
    starts[b] = s;
  }

  std::vector<Totals> totals(blocks);
  ParallelFor(ctx, blocks, 1, [&](const BlockRange& r) {
    Totals t;
    for (size_t i = starts[r.index]; i < starts[r.index + 1]; ++i) {
      const uint32_t p = sorted[i].payload;
      ((p & kLabelBit) != 0 ? t.positive : t.negative) += weight(p);
    }
    totals[r.index] = t;
  });
  std::vector<Totals> before(blocks);
  Totals all;
  for (size_t b = 0; b < blocks; ++b) {
    before[b] = all;
    all.positive += totals[b].positive;
    all.negative += totals[b].negative;
  }
  const double P = all.positive;

  std::vector<Partial> partials(blocks);
  ParallelFor(ctx, blocks, 1, [&](const BlockRange& r) {
    const size_t end = starts[r.index + 1];
    double tp = before[r.index].positive;
    double fp = before[r.index].negative;
    bool first_point = r.index == 0;
    double prev_recall = P > 0 ? tp / P : 0;
    double prev_precision = Precision(tp, fp);
    Partial part;
    for (size_t i = starts[r.index]; i < end;) {
      double pos = 0, neg = 0;
      const K key = sorted[i].key;
      for (; i < end && sorted[i].key == key; ++i) {
        const uint32_t p = sorted[i].payload;
        ((p & kLabelBit) != 0 ? pos : neg) += weight(p);
      }
      part.roc += neg * (tp + 0.5 * pos);
      tp += pos;
      fp += neg;
      const double recall = P > 0 ? tp / P : 0;
      const double precision = Precision(tp, fp);
      if (first_point) {
        prev_precision = precision;  // Spark's curve starts at (0, precision of the first threshold)
        first_point = false;
      }
      part.pr += (recall - prev_recall) * (precision + prev_precision) * 0.5;
      part.ap += (recall - prev_recall) * precision;
      prev_recall = recall;
      prev_precision = precision;
      ++part.thresholds;
    }
    partials[r.index] = part;
  });

  Partial sum;
  for (const Partial& p : partials) {
    sum.roc += p.roc;
    sum.pr += p.pr;
    sum.ap += p.ap;
    sum.thresholds += p.thresholds;
  }
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  BinaryCurveAreas out;
  out.positive_weight = all.positive;
  out.negative_weight = all.negative;
  out.thresholds = sum.thresholds;
  out.area_under_roc = all.positive > 0 && all.negative > 0 ? sum.roc / (all.positive * all.negative) : kNaN;
  out.area_under_pr = all.positive > 0 ? sum.pr : kNaN;
  out.average_precision = all.positive > 0 ? sum.ap : kNaN;
  return out;
}

// KeyScore is the type the key is built from: float for 32-bit keys.
template <class K, class KeyScore, class Score>
BinaryCurveAreas SortAndSweep(std::span<const Score> scores, std::span<const uint8_t> labels,
                              std::span<const double> weights, const Context& ctx) {
  const size_t n = scores.size();
  RecordMemory records_memory(n * sizeof(SortRecord<K>));
  RecordMemory scratch_memory(n * sizeof(SortRecord<K>));
  const auto records = records_memory.As<K>(n);
  const auto scratch = scratch_memory.As<K>(n);
  ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
    for (size_t i = r.begin; i < r.end; ++i) {
      records[i] = {DescendingKey(static_cast<KeyScore>(scores[i])),
                    static_cast<uint32_t>(i) | (labels[i] != 0 ? kLabelBit : 0u)};
    }
  });
  const auto sorted = RadixSort(records, scratch, ctx);
  return Sweep<K>(sorted, weights, ctx);
}

// Whether a double survives a round trip through float (NaN does not).
bool FitsFloat(double v) {
  if (std::isinf(v)) return true;
  if (!(std::abs(v) <= std::numeric_limits<float>::max())) return false;
  return static_cast<double>(static_cast<float>(v)) == v;
}

void CheckSizes(size_t scores, size_t labels, size_t weights) {
  EMBER_CHECK(labels == scores && (weights == 0 || weights == scores), "{} scores, {} labels and {} weights", scores,
              labels, weights);
  if (scores > kMaxBinaryRows) {
    throw InvalidArgument(
        fmt::format("binary curve areas take at most {} rows, got {}; evaluate a sample", kMaxBinaryRows, scores));
  }
}

}  // namespace

BinaryCurveAreas ComputeBinaryAreas(std::span<const double> scores, std::span<const uint8_t> labels,
                                    std::span<const double> weights, const Context& ctx) {
  CheckSizes(scores.size(), labels.size(), weights.size());
  // int, not bool: ParallelReduce keeps partials in a std::vector<T>.
  const int all_float = ParallelReduce(
      ctx, scores.size(), kDefaultBlockRows, 1,
      [&](const BlockRange& r) {
        int exact = 1;
        for (size_t i = r.begin; i < r.end; ++i) exact &= FitsFloat(scores[i]) ? 1 : 0;
        return exact;
      },
      [](int a, int b) { return a & b; });
  if (all_float) return SortAndSweep<uint32_t, float>(scores, labels, weights, ctx);
  return SortAndSweep<uint64_t, double>(scores, labels, weights, ctx);
}

BinaryCurveAreas ComputeBinaryAreas(std::span<const float> scores, std::span<const uint8_t> labels,
                                    std::span<const double> weights, const Context& ctx) {
  CheckSizes(scores.size(), labels.size(), weights.size());
  return SortAndSweep<uint32_t, float>(scores, labels, weights, ctx);
}

}  // namespace ember
