#include "ml/tree/binned_matrix.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.h"
#include "core/parallel_for.h"
#include "core/random.h"

namespace ember {

namespace {

struct ValueWeight {
  float value;
  double weight;
};

/// A float strictly between a and b when one exists (else a): x <= cut
/// then separates a from b whatever the rounding.
float Midpoint(float a, float b) {
  const auto m = static_cast<float>((static_cast<double>(a) + static_cast<double>(b)) / 2.0);
  return (m >= a && m < b) ? m : a;
}

std::vector<float> CutsFromValues(std::vector<ValueWeight>& values, int max_bins) {
  std::sort(values.begin(), values.end(), [](const ValueWeight& x, const ValueWeight& y) { return x.value < y.value; });
  // Merge equal values, dropping zero-weight ones.
  std::vector<ValueWeight> distinct;
  for (const ValueWeight& v : values) {
    if (!(v.weight > 0)) continue;
    if (!distinct.empty() && distinct.back().value == v.value) {
      distinct.back().weight += v.weight;
    } else {
      distinct.push_back(v);
    }
  }
  std::vector<float> cuts;
  if (distinct.size() <= 1) return cuts;
  if (distinct.size() <= static_cast<size_t>(max_bins)) {
    for (size_t i = 0; i + 1 < distinct.size(); ++i) cuts.push_back(Midpoint(distinct[i].value, distinct[i + 1].value));
    return cuts;
  }
  double total = 0;
  for (const ValueWeight& v : distinct) total += v.weight;
  const double step = total / max_bins;
  double next = step;
  double cumulative = 0;
  for (size_t i = 0; i + 1 < distinct.size() && static_cast<int>(cuts.size()) < max_bins - 1; ++i) {
    cumulative += distinct[i].weight;
    if (cumulative >= next) {
      cuts.push_back(Midpoint(distinct[i].value, distinct[i + 1].value));
      while (next <= cumulative) next += step;
    }
  }
  return cuts;
}

void CheckFeatures(const Column& features) {
  if (!features.type().is_vector()) {
    throw SchemaError(fmt::format("tree binning needs a vector features column, got {}", features.type().ToString()));
  }
}

}  // namespace

uint8_t BinCuts::BinOf(int f, float x) const {
  const std::vector<float>& c = cuts[static_cast<size_t>(f)];
  if (std::isnan(x)) return static_cast<uint8_t>(c.size() + 1);
  // Branchless lower_bound: the number of cuts strictly below x.
  size_t len = c.size();
  if (len == 0) return 0;
  const float* base = c.data();
  while (len > 1) {
    const size_t half = len / 2;
    base += (base[half - 1] < x) ? half : 0;
    len -= half;
  }
  return static_cast<uint8_t>((base - c.data()) + (*base < x ? 1 : 0));
}

BinCuts ComputeBinCuts(const Column& features, std::span<const double> weights, const BinningOptions& options,
                       const Context& ctx) {
  CheckFeatures(features);
  const size_t n = features.length();
  const auto d = static_cast<size_t>(features.type().dim);
  const int max_bins = std::clamp(options.max_bins, 2, kMaxValueBins);
  auto weight = [&](size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  // Seeded Bernoulli sample of about sample_rows rows, independent of threads.
  std::vector<uint32_t> sample;
  const double keep = n <= options.sample_rows ? 1.0 : static_cast<double>(options.sample_rows) / n;
  for (size_t i = 0; i < n; ++i) {
    if (keep >= 1.0 || UniformAt(options.seed, i) < keep) sample.push_back(static_cast<uint32_t>(i));
  }
  BinCuts result;
  result.cuts.resize(d);
  if (features.type().id == TypeId::kSparseVector) {
    std::vector<std::vector<ValueWeight>> lists(d);
    double total = 0;
    for (uint32_t i : sample) {
      const double w = weight(i);
      total += w;
      const SparseRow row = features.SparseRowAt(i);
      for (size_t k = 0; k < row.indices.size(); ++k) {
        lists[static_cast<size_t>(row.indices[k])].push_back({row.values[k], w});
      }
    }
    ParallelFor(ctx, d, 1, [&](const BlockRange& r) {
      std::vector<ValueWeight>& list = lists[r.begin];
      double explicit_weight = 0;
      for (const ValueWeight& v : list) explicit_weight += v.weight;
      std::erase_if(list, [](const ValueWeight& v) { return std::isnan(v.value); });
      if (total - explicit_weight > 1e-12 * total) list.push_back({0.0f, total - explicit_weight});
      result.cuts[r.begin] = CutsFromValues(list, max_bins);
    });
  } else {
    const float* x = features.buffers().values->as<float>().data();
    ParallelFor(ctx, d, 1, [&](const BlockRange& r) {
      std::vector<ValueWeight> list;
      list.reserve(sample.size());
      for (uint32_t i : sample) {
        const float v = x[static_cast<size_t>(i) * d + r.begin];
        if (!std::isnan(v)) list.push_back({v, weight(i)});
      }
      result.cuts[r.begin] = CutsFromValues(list, max_bins);
    });
  }
  return result;
}

BinnedMatrix BinnedMatrix::Build(const Column& features, std::span<const double> weights,
                                 const BinningOptions& options, const Context& ctx) {
  return Build(features, ComputeBinCuts(features, weights, options, ctx), ctx);
}

BinnedMatrix BinnedMatrix::Build(const Column& features, BinCuts cuts, const Context& ctx) {
  CheckFeatures(features);
  EMBER_CHECK(cuts.num_features() == features.type().dim, "cuts for {} features, column has {}", cuts.num_features(),
              features.type().dim);
  BinnedMatrix m;
  m.rows_ = features.length();
  m.cuts_ = std::move(cuts);
  const int d = m.cuts_.num_features();
  m.offsets_.assign(static_cast<size_t>(d) + 1, 0);
  for (int f = 0; f < d; ++f) {
    m.offsets_[static_cast<size_t>(f) + 1] = m.offsets_[static_cast<size_t>(f)] + m.cuts_.num_value_bins(f) + 1;
  }
  const auto ud = static_cast<size_t>(d);
  m.bins_.resize(m.rows_ * ud);
  const bool sparse = features.type().id == TypeId::kSparseVector;
  std::vector<uint8_t> zero_bins(ud);
  for (int f = 0; f < d; ++f) zero_bins[static_cast<size_t>(f)] = m.cuts_.BinOf(f, 0.0f);
  const float* x = sparse ? nullptr : features.buffers().values->as<float>().data();
  ParallelFor(ctx, m.rows_, kDefaultBlockRows, [&](const BlockRange& r) {
    for (size_t i = r.begin; i < r.end; ++i) {
      uint8_t* out = m.bins_.data() + i * ud;
      if (sparse) {
        std::copy(zero_bins.begin(), zero_bins.end(), out);
        const SparseRow row = features.SparseRowAt(i);
        for (size_t k = 0; k < row.indices.size(); ++k) {
          out[row.indices[k]] = m.cuts_.BinOf(row.indices[k], row.values[k]);
        }
      } else {
        const float* xi = x + i * ud;
        for (int f = 0; f < d; ++f) out[f] = m.cuts_.BinOf(f, xi[f]);
      }
    }
  });
  return m;
}

}  // namespace ember
