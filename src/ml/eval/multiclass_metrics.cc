#include "ml/eval/multiclass_metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "core/error.h"
#include "core/parallel_for.h"

namespace ember {

std::optional<size_t> MulticlassReport::IndexOf(double label) const {
  const auto it = std::lower_bound(labels.begin(), labels.end(), label);
  if (it == labels.end() || *it != label) return std::nullopt;
  return static_cast<size_t>(it - labels.begin());
}

double MulticlassReport::FMeasure(size_t index, double beta) const {
  const double p = per_label[index].precision;
  const double r = per_label[index].recall;
  const double b2 = beta * beta;
  return p + r == 0 ? 0.0 : (1 + b2) * p * r / (b2 * p + r);
}

double MulticlassReport::WeightedFMeasure(double beta) const {
  double sum = 0;
  for (size_t i = 0; i < labels.size(); ++i) sum += FMeasure(i, beta) * per_label[i].support / total_weight;
  return sum;
}

namespace {

// Inserts v into the sorted vector `set` unless present.
void InsertSorted(std::vector<double>& set, double v) {
  const auto it = std::lower_bound(set.begin(), set.end(), v);
  if (it == set.end() || *it != v) set.insert(it, v);
}

[[noreturn]] void ThrowTooManyLabels(size_t count) {
  throw InvalidArgument(
      fmt::format("multiclass metrics: more than {} distinct label and prediction values ({} "
                  "seen); is this a regression column?",
                  kMaxMulticlassLabels, count));
}

std::vector<double> DistinctValues(std::span<const double> labels, std::span<const double> predictions,
                                   const Context& ctx) {
  const size_t n = labels.size();
  std::vector<std::vector<double>> per_block(NumBlocks(n, kDefaultBlockRows));
  ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
    std::vector<double> set;
    double last_label = 0, last_prediction = 0;
    bool any = false;
    for (size_t i = r.begin; i < r.end; ++i) {
      // Consecutive rows often repeat a value; the comparison skips the search.
      if (!any || labels[i] != last_label) InsertSorted(set, last_label = labels[i]);
      if (!any || predictions[i] != last_prediction) InsertSorted(set, last_prediction = predictions[i]);
      any = true;
      if (set.size() > kMaxMulticlassLabels) [[unlikely]]
        ThrowTooManyLabels(set.size());
    }
    per_block[r.index] = std::move(set);
  });
  std::vector<double> all;
  for (const auto& set : per_block) {
    std::vector<double> merged;
    std::set_union(all.begin(), all.end(), set.begin(), set.end(), std::back_inserter(merged));
    all = std::move(merged);
    if (all.size() > kMaxMulticlassLabels) ThrowTooManyLabels(all.size());
  }
  return all;
}

}  // namespace

MulticlassReport ComputeMulticlassReport(std::span<const double> labels, std::span<const double> predictions,
                                         std::span<const double> weights, const Context& ctx) {
  const size_t n = labels.size();
  EMBER_CHECK(predictions.size() == n && (weights.empty() || weights.size() == n),
              "{} labels, {} predictions and {} weights", n, predictions.size(), weights.size());
  MulticlassReport report;
  report.labels = DistinctValues(labels, predictions, ctx);
  const size_t k = report.labels.size();

  // One k x k partial per block, folded in block order. The block count is
  // capped by the matrix size so partials stay within ~32 MB; it depends on
  // n and k only, never on the thread count.
  constexpr size_t kMaxPartialCells = size_t{1} << 22;
  const size_t max_blocks = std::max<size_t>(1, kMaxPartialCells / std::max<size_t>(1, k * k));
  const size_t block = std::max(kDefaultBlockRows, (n + max_blocks - 1) / max_blocks);
  const auto& values = report.labels;
  auto index_of = [&](double v) {
    return static_cast<size_t>(std::lower_bound(values.begin(), values.end(), v) - values.begin());
  };
  report.confusion = ParallelReduce(
      ctx, n, block, std::vector<double>(),
      [&](const BlockRange& r) {
        std::vector<double> cells(k * k, 0.0);
        double last_label = values[0], last_prediction = values[0];
        size_t a = 0, p = 0;
        for (size_t i = r.begin; i < r.end; ++i) {
          if (labels[i] != last_label) a = index_of(last_label = labels[i]);
          if (predictions[i] != last_prediction) p = index_of(last_prediction = predictions[i]);
          cells[a * k + p] += weights.empty() ? 1.0 : weights[i];
        }
        return cells;
      },
      [](std::vector<double> total, std::vector<double> part) {
        if (total.empty()) return part;
        for (size_t c = 0; c < part.size(); ++c) total[c] += part[c];
        return total;
      });
  if (report.confusion.empty()) report.confusion.assign(k * k, 0.0);

  report.per_label.resize(k);
  double correct = 0;
  for (size_t a = 0; a < k; ++a) {
    LabelMetrics& m = report.per_label[a];
    m.label = values[a];
    for (size_t p = 0; p < k; ++p) {
      m.support += report.ConfusionAt(a, p);
      m.predicted += report.ConfusionAt(p, a);
    }
    m.true_positive = report.ConfusionAt(a, a);
    report.total_weight += m.support;
    correct += m.true_positive;
  }
  const double total = report.total_weight;
  for (size_t a = 0; a < k; ++a) {
    LabelMetrics& m = report.per_label[a];
    // The off-diagonal column sum, not predicted - tp, so fp is exact.
    for (size_t p = 0; p < k; ++p) {
      if (p != a) m.false_positive += report.ConfusionAt(p, a);
    }
    m.precision = m.predicted == 0 ? 0.0 : m.true_positive / m.predicted;
    m.recall = m.support == 0 ? 0.0 : m.true_positive / m.support;
    m.f1 = report.FMeasure(a, 1.0);
    const double negatives = total - m.support;
    m.false_positive_rate = negatives == 0 ? 0.0 : m.false_positive / negatives;
    report.weighted_precision += m.precision * m.support / total;
    report.weighted_recall += m.recall * m.support / total;
    report.weighted_f1 += m.f1 * m.support / total;
    report.weighted_false_positive_rate += m.false_positive_rate * m.support / total;
  }
  report.accuracy = correct / total;
  report.hamming_loss = (total - correct) / total;
  return report;
}

}  // namespace ember
