#include "ml/tree/histogram.h"

#include <algorithm>

#if defined(__SSE2__) || defined(__AVX__)
#include <immintrin.h>
#endif

#include "core/error.h"
#include "core/parallel_for.h"

namespace ember {

namespace {

// A node's rows are scattered over the column, so the loop is bound by
// memory latency: prefetch the bin of a row kPrefetch ahead.
constexpr size_t kPrefetch = 32;

/// Adds one row's C statistics (float32, widened to double) to a histogram
/// slot. With C known at compile time the add is one vector operation
/// (C = 2: 128-bit, C = 4: 256-bit).
template <int C>
inline void AddToSlot(double* slot, const float* s) {
#ifdef __SSE2__
  if constexpr (C == 2) {
    const __m128d v = _mm_cvtps_pd(_mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double*>(s))));
    _mm_storeu_pd(slot, _mm_add_pd(_mm_loadu_pd(slot), v));
    return;
  }
#endif
#ifdef __AVX__
  if constexpr (C == 4) {
    _mm256_storeu_pd(slot, _mm256_add_pd(_mm256_loadu_pd(slot), _mm256_cvtps_pd(_mm_loadu_ps(s))));
    return;
  }
#endif
  for (int c = 0; c < C; ++c) slot[c] += s[c];
}

// Every row adds its C statistics (gathered in row order) to the slot of its
// bin in four features' histogram slices. Four features per pass read the
// rows and statistics once and keep four independent add chains in flight:
// successive rows often hit the same bin of one feature, and that add must
// wait for the previous one's store. The pointers are separate parameters,
// not arrays: the intrinsic stores may alias anything, and pointers read
// from memory would be reloaded after every store.
template <int C>
void AccumulateFour(const uint8_t* c0, const uint8_t* c1, const uint8_t* c2, const uint8_t* c3,
                    const uint32_t* rows, const float* ordered, size_t count, double* h0, double* h1, double* h2,
                    double* h3) {
  for (size_t k = 0; k < count; ++k) {
    if (k + kPrefetch < count) {
      const uint32_t ahead = rows[k + kPrefetch];
      __builtin_prefetch(c0 + ahead);
      __builtin_prefetch(c1 + ahead);
      __builtin_prefetch(c2 + ahead);
      __builtin_prefetch(c3 + ahead);
    }
    const uint32_t r = rows[k];
    const float* s = ordered + k * C;
    AddToSlot<C>(h0 + static_cast<size_t>(c0[r]) * C, s);
    AddToSlot<C>(h1 + static_cast<size_t>(c1[r]) * C, s);
    AddToSlot<C>(h2 + static_cast<size_t>(c2[r]) * C, s);
    AddToSlot<C>(h3 + static_cast<size_t>(c3[r]) * C, s);
  }
}

template <int C>
void AccumulateFeature(const uint8_t* column, const uint32_t* rows, const float* ordered, size_t count,
                       double* hist) {
  for (size_t k = 0; k < count; ++k) {
    if (k + kPrefetch < count) __builtin_prefetch(column + rows[k + kPrefetch]);
    AddToSlot<C>(hist + static_cast<size_t>(column[rows[k]]) * C, ordered + k * C);
  }
}

void AccumulateFeatureAny(const uint8_t* column, const uint32_t* rows, const float* ordered, size_t count,
                          int channels, double* hist) {
  const auto C = static_cast<size_t>(channels);
  for (size_t k = 0; k < count; ++k) {
    double* h = hist + static_cast<size_t>(column[rows[k]]) * C;
    const float* s = ordered + k * C;
    for (size_t c = 0; c < C; ++c) h[c] += s[c];
  }
}

// Features summed in one pass over a node's rows.
constexpr int kFeatureGroup = 4;  // AccumulateFour

/// Features [first, last) of one job: groups of kFeatureGroup, then the rest
/// one by one.
void AccumulateRange(const BinnedMatrix& m, int first, int last, const uint32_t* rows, const float* ordered,
                     size_t count, int channels, double* out) {
  const auto C = static_cast<size_t>(channels);
  int f = first;
  if (channels == 2 || channels == 4) {
    for (; f + kFeatureGroup <= last; f += kFeatureGroup) {
      auto hist = [&](int g) { return out + static_cast<size_t>(m.bin_offset(f + g)) * C; };
      if (channels == 2) {
        AccumulateFour<2>(m.column(f), m.column(f + 1), m.column(f + 2), m.column(f + 3), rows, ordered, count,
                          hist(0), hist(1), hist(2), hist(3));
      } else {
        AccumulateFour<4>(m.column(f), m.column(f + 1), m.column(f + 2), m.column(f + 3), rows, ordered, count,
                          hist(0), hist(1), hist(2), hist(3));
      }
    }
  }
  for (; f < last; ++f) {
    const uint8_t* column = m.column(f);
    double* hist = out + static_cast<size_t>(m.bin_offset(f)) * C;
    switch (channels) {
      case 2: AccumulateFeature<2>(column, rows, ordered, count, hist); break;
      case 4: AccumulateFeature<4>(column, rows, ordered, count, hist); break;
      case 5: AccumulateFeature<5>(column, rows, ordered, count, hist); break;
      default: AccumulateFeatureAny(column, rows, ordered, count, channels, hist);
    }
  }
}

/// Features [first, last) of one job's histogram, over the job's rows
/// [begin, end); block > 0 writes into partial histogram `partial`.
struct FeatureTask {
  size_t job;
  int first;
  int last;
  size_t begin;
  size_t end;
  size_t block;
  size_t partial;
};

// Jobs of more rows are also cut into row blocks of this size, so that the
// few large jobs of the top levels spread evenly over the threads; blocks
// after the first sum into partial histograms added in block order.
constexpr size_t kRowBlock = 1 << 17;

// Jobs of fewer rows are one task over all features (a task per feature
// would cost more in scheduling than it does in work).
constexpr size_t kSmallJobRows = 4096;
// Rows per task of the statistics gather.
constexpr size_t kGatherBlock = 1 << 16;

}  // namespace

void BuildHistograms(const BinnedMatrix& matrix, std::span<const float> stats, int channels,
                     std::span<const HistogramJob> jobs, HistogramScratch& scratch, const Context& ctx) {
  const auto C = static_cast<size_t>(channels);
  const size_t size = static_cast<size_t>(matrix.total_bins()) * C;
  const int d = matrix.num_features();
  // Each job's statistics in its row order, so that every feature's pass
  // reads them sequentially: start[j] is job j's first position.
  std::vector<size_t> start(jobs.size() + 1, 0);
  for (size_t j = 0; j < jobs.size(); ++j) {
    EMBER_CHECK(jobs[j].out.size() == size, "histogram of {} slots, expected {}", jobs[j].out.size(), size);
    start[j + 1] = start[j] + jobs[j].rows.size();
  }
  if (scratch.ordered.size() < start.back() * C) scratch.ordered.resize(start.back() * C);
  float* ordered = scratch.ordered.data();
  ParallelFor(ctx, start.back(), kGatherBlock, [&](const BlockRange& r) {
    size_t j = static_cast<size_t>(std::upper_bound(start.begin(), start.end(), r.begin) - start.begin()) - 1;
    for (size_t pos = r.begin; pos < r.end; ++pos) {
      while (pos >= start[j + 1]) ++j;
      const float* s = stats.data() + static_cast<size_t>(jobs[j].rows[pos - start[j]]) * C;
      float* o = ordered + pos * C;
      if (C == 2) {
        o[0] = s[0];
        o[1] = s[1];
      } else {
        for (size_t c = 0; c < C; ++c) o[c] = s[c];
      }
    }
  });
  std::vector<FeatureTask> tasks;
  // (job, first partial, number of partials) of the jobs cut into row blocks.
  struct Merge {
    size_t job;
    size_t first;
    size_t count;
  };
  std::vector<Merge> merges;
  size_t partials = 0;
  for (size_t j = 0; j < jobs.size(); ++j) {
    const size_t n = jobs[j].rows.size();
    if (n < kSmallJobRows) {
      tasks.push_back({j, 0, d, 0, n, 0, 0});
      continue;
    }
    const size_t blocks = NumBlocks(n, kRowBlock);
    if (blocks > 1) merges.push_back({j, partials, blocks - 1});
    for (size_t b = 0; b < blocks; ++b) {
      for (int f = 0; f < d; f += kFeatureGroup) {
        tasks.push_back({j, f, std::min(d, f + kFeatureGroup), b * kRowBlock, std::min(n, (b + 1) * kRowBlock), b,
                         b > 0 ? partials + b - 1 : 0});
      }
    }
    partials += blocks - 1;
  }
  if (scratch.partials.size() < partials * size) scratch.partials.resize(partials * size);
  ParallelFor(ctx, tasks.size(), 1, [&](const BlockRange& r) {
    const FeatureTask& t = tasks[r.begin];
    const HistogramJob& job = jobs[t.job];
    double* out = t.block == 0 ? job.out.data() : scratch.partials.data() + t.partial * size;
    std::fill(out + static_cast<size_t>(matrix.bin_offset(t.first)) * C,
              out + static_cast<size_t>(matrix.bin_offset(t.last)) * C, 0.0);
    AccumulateRange(matrix, t.first, t.last, job.rows.data() + t.begin, ordered + (start[t.job] + t.begin) * C,
                    t.end - t.begin, channels, out);
  });
  if (merges.empty()) return;
  // out += partials in block order, in slices spread over the threads.
  constexpr size_t kMergeSlice = 8192;
  const size_t slices = NumBlocks(size, kMergeSlice);
  ParallelFor(ctx, merges.size() * slices, 1, [&](const BlockRange& r) {
    const Merge& mg = merges[r.begin / slices];
    const size_t lo = (r.begin % slices) * kMergeSlice, hi = std::min(size, lo + kMergeSlice);
    double* out = jobs[mg.job].out.data();
    for (size_t b = 0; b < mg.count; ++b) {
      const double* partial = scratch.partials.data() + (mg.first + b) * size;
      for (size_t i = lo; i < hi; ++i) out[i] += partial[i];
    }
  });
}

void BuildHistogram(const BinnedMatrix& matrix, std::span<const float> stats, int channels,
                    std::span<const uint32_t> rows, std::span<double> out, HistogramScratch& scratch,
                    const Context& ctx) {
  const HistogramJob job{rows, out};
  BuildHistograms(matrix, stats, channels, std::span<const HistogramJob>(&job, 1), scratch, ctx);
}

void SubtractHistogram(std::span<double> parent_then_larger, std::span<const double> smaller) {
  EMBER_CHECK(parent_then_larger.size() == smaller.size(), "histogram sizes differ");
  for (size_t j = 0; j < smaller.size(); ++j) parent_then_larger[j] -= smaller[j];
}

}  // namespace ember
