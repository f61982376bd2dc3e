#include "ml/tree/binned_matrix.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <utility>

#include "core/error.h"
#include "core/parallel_for.h"
#include "core/random.h"

#ifdef __AVX2__
#include <immintrin.h>
#endif

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

/// Cuts from sorted distinct values with positive weights.
std::vector<float> CutsFromDistinct(const std::vector<ValueWeight>& distinct, int max_bins) {
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
  return CutsFromDistinct(distinct, max_bins);
}

/// Sorts floats (no NaN) ascending by an 11-bit least-significant-digit
/// radix sort over order-preserving integer keys: three counting passes
/// instead of std::sort's log2(n) compares per value (quantile cuts sort
/// 200k values per feature; this was 8% of a 20-tree boosting fit).
/// -0.0 sorts before +0.0; callers merge equal values, so either order gives
/// the same cuts.
void SortFloats(std::vector<float>& values) {
  const size_t n = values.size();
  if (n < 4096) {
    std::sort(values.begin(), values.end());
    return;
  }
  // Flip negatives entirely and set the sign bit of positives: unsigned
  // order of the keys is then float order.
  std::vector<uint32_t> keys(n), scratch(n);
  for (size_t i = 0; i < n; ++i) {
    const auto u = std::bit_cast<uint32_t>(values[i]);
    keys[i] = (u & 0x80000000u) != 0 ? ~u : (u | 0x80000000u);
  }
  constexpr int kDigitBits = 11;
  constexpr size_t kBuckets = size_t{1} << kDigitBits;
  std::vector<size_t> start(kBuckets);
  for (int shift = 0; shift < 32; shift += kDigitBits) {
    std::fill(start.begin(), start.end(), 0);
    for (uint32_t k : keys) ++start[(k >> shift) & (kBuckets - 1)];
    size_t sum = 0;
    for (size_t& c : start) sum += std::exchange(c, sum);
    for (uint32_t k : keys) scratch[start[(k >> shift) & (kBuckets - 1)]++] = k;
    keys.swap(scratch);
  }
  for (size_t i = 0; i < n; ++i) {
    const uint32_t k = keys[i];
    values[i] = std::bit_cast<float>((k & 0x80000000u) != 0 ? (k & 0x7fffffffu) : ~k);
  }
}

/// The same cuts for values that all weigh 1: sorting bare floats is much
/// faster than sorting (value, weight) pairs.
std::vector<float> CutsFromUnitValues(std::vector<float>& values, int max_bins) {
  SortFloats(values);
  std::vector<ValueWeight> distinct;
  for (float v : values) {
    if (!distinct.empty() && distinct.back().value == v) {
      distinct.back().weight += 1.0;
    } else {
      distinct.push_back({v, 1.0});
    }
  }
  return CutsFromDistinct(distinct, max_bins);
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

namespace {

/// Replaces the cuts of the categorical features by one bin per code, after
/// checking every row's value (not only a sample: a code missed by the
/// sample would share the last bin).
void SetCategoricalCuts(const Column& features, const BinningOptions& options, BinCuts& result) {
  const std::vector<int>& categorical = options.categorical_features;
  if (categorical.empty()) return;
  const int d = features.type().dim;
  result.categorical.assign(static_cast<size_t>(d), 0);
  const bool sparse = features.type().id == TypeId::kSparseVector;
  for (int f : categorical) {
    if (f < 0 || f >= d) {
      throw InvalidArgument(fmt::format("categorical feature {} is out of range: the features have {} slots", f, d));
    }
    int largest = 0;  // absent sparse entries are code 0
    auto check = [&](size_t row, float v) {
      if (std::isnan(v)) return;
      if (!(v >= 0 && v < kMaxValueBins && v == std::floor(v))) {
        throw InvalidArgument(fmt::format(
            "categorical feature {} has value {} at row {}; expected a category code 0..{} (StringIndexer output) "
            "or NaN",
            f, v, row, kMaxValueBins - 1));
      }
      largest = std::max(largest, static_cast<int>(v));
    };
    const size_t n = features.length();
    if (sparse) {
      for (size_t i = 0; i < n; ++i) {
        const SparseRow row = features.SparseRowAt(i);
        for (size_t k = 0; k < row.indices.size(); ++k) {
          if (row.indices[k] == f) check(i, row.values[k]);
        }
      }
    } else {
      const float* x = features.buffers().values->as<float>().data();
      for (size_t i = 0; i < n; ++i) check(i, x[i * static_cast<size_t>(d) + static_cast<size_t>(f)]);
    }
    if (largest + 1 > options.max_bins) {
      throw InvalidArgument(
          fmt::format("categorical feature {} has {} categories (codes 0..{}), more than maxBins {}; "
                      "raise maxBins to at least {} (at most {})",
                      f, largest + 1, largest, options.max_bins, largest + 1, kMaxValueBins));
    }
    std::vector<float>& cuts = result.cuts[static_cast<size_t>(f)];
    cuts.clear();
    for (int k = 0; k < largest; ++k) cuts.push_back(static_cast<float>(k) + 0.5f);
    result.categorical[static_cast<size_t>(f)] = 1;
  }
}

}  // namespace

size_t DefaultCutSampleRows(int max_bins) {
  return std::clamp<size_t>(size_t{1000} * static_cast<size_t>(std::max(max_bins, 1)), 50'000, 200'000);
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
  const size_t rows = options.sample_rows != 0 ? options.sample_rows : DefaultCutSampleRows(max_bins);
  const double keep = n <= rows ? 1.0 : static_cast<double>(rows) / static_cast<double>(n);
  for (size_t i = 0; i < n; ++i) {
    if (keep >= 1.0 || UniformAt(options.seed, i) < keep) sample.push_back(static_cast<uint32_t>(i));
  }
  BinCuts result;
  result.cuts.resize(d);
  // Sorting each feature's sample dominates: the bar moves once per feature.
  const std::unique_ptr<ProgressBar> bar = ctx.progress().Start("quantile cuts", d, "features");
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
      bar->Advance(1);
    });
  } else {
    // Gather the sampled rows feature-major once (one pass over the rows)
    // instead of one strided pass over them per feature.
    const float* x = features.buffers().values->as<float>().data();
    const size_t m = sample.size();
    // Tiles of kTile rows: their values stay in L1 while each feature's
    // run of kTile floats is written. Row by row, every value went to
    // another page (a column is m floats long), and the gather was 9% of a
    // 20-tree boosting fit.
    constexpr size_t kTile = 256;
    std::vector<float> columns(m * d);
    ParallelFor(ctx, m, kTile, [&](const BlockRange& r) {
      for (size_t f = 0; f < d; ++f) {
        float* column = columns.data() + f * m;
        for (size_t j = r.begin; j < r.end; ++j) column[j] = x[static_cast<size_t>(sample[j]) * d + f];
      }
    });
    bool unit_weights = true;
    for (uint32_t i : sample) unit_weights = unit_weights && (weight(i) == 1.0 || weight(i) == 0.0);
    ParallelFor(ctx, d, 1, [&](const BlockRange& r) {
      const float* column = columns.data() + r.begin * m;
      if (unit_weights) {
        std::vector<float> list;
        list.reserve(m);
        for (size_t j = 0; j < m; ++j) {
          if (!std::isnan(column[j]) && weight(sample[j]) > 0) list.push_back(column[j]);
        }
        result.cuts[r.begin] = CutsFromUnitValues(list, max_bins);
        bar->Advance(1);
        return;
      }
      std::vector<ValueWeight> list;
      list.reserve(m);
      for (size_t j = 0; j < m; ++j) {
        if (!std::isnan(column[j])) list.push_back({column[j], weight(sample[j])});
      }
      result.cuts[r.begin] = CutsFromValues(list, max_bins);
      bar->Advance(1);
    });
  }
  SetCategoricalCuts(features, options, result);
  return result;
}

BinnedMatrix BinnedMatrix::Build(const Column& features, std::span<const double> weights, const BinningOptions& options,
                                 const Context& ctx) {
  return Build(features, ComputeBinCuts(features, weights, options, ctx), ctx, options.feature_major_copy);
}

void BinnedMatrix::LayOutHistograms() {
  const int d = cuts_.num_features();
  uint32_t compact = 0, widest = 0;
  for (int f = 0; f < d; ++f) {
    const uint32_t slots = cuts_.num_value_bins(f) + 1;
    compact += slots;
    widest = std::max(widest, slots);
  }
  // Equal slices cost the slots that narrower features leave unused; a
  // quarter more slots is worth the faster histogram loop.
  const uint32_t uniform = widest * static_cast<uint32_t>(d);
  slot_stride_ = uniform <= compact + compact / 4 ? widest : 0;
  offsets_.assign(static_cast<size_t>(d) + 1, 0);
  for (int f = 0; f < d; ++f) {
    const uint32_t slots = slot_stride_ != 0 ? slot_stride_ : cuts_.num_value_bins(f) + 1;
    offsets_[static_cast<size_t>(f) + 1] = offsets_[static_cast<size_t>(f)] + slots;
  }
}

BinnedMatrix BinnedMatrix::Build(const Column& features, BinCuts cuts, const Context& ctx, bool feature_major_copy) {
  CheckFeatures(features);
  EMBER_CHECK(cuts.num_features() == features.type().dim, "cuts for {} features, column has {}", cuts.num_features(),
              features.type().dim);
  BinnedMatrix m;
  m.rows_ = features.length();
  m.cuts_ = std::move(cuts);
  const int d = m.cuts_.num_features();
  m.LayOutHistograms();
  const auto ud = static_cast<size_t>(d);
  // Left unwritten by resize (HugePageVector): the blocks below write every entry.
  m.bins_.resize(m.rows_ * ud);
  if (feature_major_copy) m.columns_.resize(m.rows_ * ud);
  const bool columns = feature_major_copy && m.rows_ > 0;
  const bool sparse = features.type().id == TypeId::kSparseVector;
  std::vector<uint8_t> zero_bins(ud);
  for (int f = 0; f < d; ++f) zero_bins[static_cast<size_t>(f)] = m.cuts_.BinOf(f, 0.0f);
  const float* x = sparse ? nullptr : features.buffers().values->as<float>().data();
  // Advanced once per block of rows, never per row.
  const std::unique_ptr<ProgressBar> bar = ctx.progress().Start("binning", m.rows_, "rows");
  if (sparse) {
    ParallelFor(ctx, m.rows_, kDefaultBlockRows, [&](const BlockRange& r) {
      for (size_t i = r.begin; i < r.end; ++i) {
        uint8_t* out = m.bins_.data() + i * ud;
        std::copy(zero_bins.begin(), zero_bins.end(), out);
        const SparseRow row = features.SparseRowAt(i);
        for (size_t k = 0; k < row.indices.size(); ++k) {
          out[row.indices[k]] = m.cuts_.BinOf(row.indices[k], row.values[k]);
        }
      }
      for (size_t f = 0; columns && f < ud; ++f) {
        for (size_t i = r.begin; i < r.end; ++i) m.columns_[f * m.rows_ + i] = m.bins_[i * ud + f];
      }
      bar->Advance(r.end - r.begin);
    });
    return m;
  }
  // Dense: feature by feature within blocks of rows small enough to stay in
  // cache, each value by a fixed-depth branch-free search over the cuts
  // padded with +inf to 2^depth - 1 entries: the searches of successive rows
  // are independent and overlap in the pipeline.
  std::vector<std::vector<float>> padded(ud);
  std::vector<int> depth(ud);
  for (size_t f = 0; f < ud; ++f) {
    const std::vector<float>& c = m.cuts_.cuts[f];
    size_t p = 1;
    int k = 0;
    while (p < c.size() + 1) p *= 2, ++k;
    padded[f] = c;
    padded[f].resize(p, std::numeric_limits<float>::infinity());  // one spare entry keeps the size >= 1
    depth[f] = k;
  }
  constexpr size_t kBinBlock = 1024;
  ParallelFor(ctx, m.rows_, kBinBlock, [&](const BlockRange& r) {
    // Byte stores may alias anything: what the loops read through `m` or
    // the captures would be reloaded after every store, so they read locals.
    uint8_t* const row_bins = m.bins_.data();
    uint8_t* const column_bins = columns ? m.columns_.data() : nullptr;
    const size_t n = m.rows_, d = ud, begin = r.begin, end = r.end;
    const float* const values = x;
    for (size_t f = 0; f < d; ++f) {
      const float* c = padded[f].data();
      const auto missing = static_cast<uint8_t>(m.cuts_.missing_bin(static_cast<int>(f)));
      auto store = [&](size_t i, float v, size_t below) {
        const uint8_t bin = std::isnan(v) ? missing : static_cast<uint8_t>(below);
        row_bins[i * d + f] = bin;
        if (column_bins != nullptr) column_bins[f * n + i] = bin;
      };
#ifdef __AVX2__
      // Up to 64 cuts: the bin is the count of cuts below the value, eight
      // compares at a time; no chain of dependent loads as in the search.
      // The number of groups is a template argument: a run-time count left
      // a compare and branch after every group.
      auto count_below = [&]<size_t kGroups>() {
        __m256 cuts[kGroups];  // in registers, not reloaded after each store
        for (size_t g = 0; g < kGroups; ++g) cuts[g] = _mm256_loadu_ps(c + 8 * g);
        for (size_t i = begin; i < end; ++i) {
          const float v = values[i * d + f];
          const __m256 value = _mm256_set1_ps(v);
          int below = 0;
          for (size_t g = 0; g < kGroups; ++g) {
            const __m256 lower = _mm256_cmp_ps(cuts[g], value, _CMP_LT_OQ);
            below += std::popcount(static_cast<unsigned>(_mm256_movemask_ps(lower)));
          }
          store(i, v, static_cast<size_t>(below));
        }
      };
      if (const size_t groups = padded[f].size() / 8; groups >= 1 && groups <= 8) {
        // count_below<groups>(), the one of eight instantiations that matches.
        [&]<size_t... kMinusOne>(std::index_sequence<kMinusOne...>) {
          (void)((groups == kMinusOne + 1 && (count_below.template operator()<kMinusOne + 1>(), true)) || ...);
        }
        (std::make_index_sequence<8>{});
        continue;
      }
#endif
      const size_t top = depth[f] > 0 ? size_t{1} << (depth[f] - 1) : 0;
      for (size_t i = begin; i < end; ++i) {
        const float v = values[i * d + f];
        size_t idx = 0;
        for (size_t step = top; step > 0; step >>= 1) idx += c[idx + step - 1] < v ? step : 0;
        store(i, v, idx);
      }
    }
    bar->Advance(r.end - r.begin);
  });
  return m;
}

}  // namespace ember
