#include "ml/tree/histogram.h"

#include <algorithm>

#if defined(__SSE2__) || defined(__AVX__)
#include <immintrin.h>
#endif

#include "core/error.h"
#include "core/parallel_for.h"

namespace ember {

namespace {

// Rows of deep nodes are scattered over the matrix, so the loop is bound by
// memory latency: prefetch the bins and statistics of a row kPrefetch ahead.
constexpr size_t kPrefetch = 16;

// Every (row, feature) adds the row's C statistics (float32, widened once
// per row) to one double slot; with C known at compile time the add is one
// vector operation (C = 2: 128-bit, C = 4: 256-bit).
template <int C>
void Accumulate(const BinnedMatrix& m, const float* stats, const uint32_t* rows, size_t count, double* hist) {
  const int d = m.num_features();
  const uint32_t* offsets = m.bin_offsets().data();
  for (size_t k = 0; k < count; ++k) {
    if (k + kPrefetch < count) {
      const uint32_t ahead = rows[k + kPrefetch];
      __builtin_prefetch(m.row(ahead));
      __builtin_prefetch(stats + static_cast<size_t>(ahead) * C);
    }
    const uint32_t r = rows[k];
    const uint8_t* bins = m.row(r);
    const float* s = stats + static_cast<size_t>(r) * C;
#ifdef __SSE2__
    if constexpr (C == 2) {
      const __m128d v = _mm_cvtps_pd(_mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double*>(s))));
      for (int f = 0; f < d; ++f) {
        double* h = hist + static_cast<size_t>(offsets[f] + bins[f]) * 2;
        _mm_storeu_pd(h, _mm_add_pd(_mm_loadu_pd(h), v));
      }
      continue;
    }
#endif
#ifdef __AVX__
    if constexpr (C == 4) {
      const __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(s));
      for (int f = 0; f < d; ++f) {
        double* h = hist + static_cast<size_t>(offsets[f] + bins[f]) * 4;
        _mm256_storeu_pd(h, _mm256_add_pd(_mm256_loadu_pd(h), v));
      }
      continue;
    }
#endif
    double v[C];
    for (int c = 0; c < C; ++c) v[c] = s[c];
    for (int f = 0; f < d; ++f) {
      double* h = hist + static_cast<size_t>(offsets[f] + bins[f]) * C;
      for (int c = 0; c < C; ++c) h[c] += v[c];
    }
  }
}

void AccumulateAny(const BinnedMatrix& m, const float* stats, int channels, const uint32_t* rows, size_t count,
                   double* hist) {
  const int d = m.num_features();
  const auto C = static_cast<size_t>(channels);
  const uint32_t* offsets = m.bin_offsets().data();
  for (size_t k = 0; k < count; ++k) {
    const uint32_t r = rows[k];
    const uint8_t* bins = m.row(r);
    const float* s = stats + static_cast<size_t>(r) * C;
    for (int f = 0; f < d; ++f) {
      double* h = hist + static_cast<size_t>(offsets[f] + bins[f]) * C;
      for (size_t c = 0; c < C; ++c) h[c] += s[c];
    }
  }
}

void AccumulateRows(const BinnedMatrix& m, const float* stats, int channels, const uint32_t* rows, size_t count,
                    double* hist) {
  switch (channels) {
    case 2: Accumulate<2>(m, stats, rows, count, hist); break;
    case 4: Accumulate<4>(m, stats, rows, count, hist); break;
    case 5: Accumulate<5>(m, stats, rows, count, hist); break;
    default: AccumulateAny(m, stats, channels, rows, count, hist);
  }
}

/// One block of one job's rows; `partial` < 0: the job has a single block
/// and it writes straight into the job's output.
struct BlockTask {
  size_t job;
  size_t begin;
  size_t end;
  long partial;
};

// Partial histograms are merged in slices of this many doubles, so that
// the merge of one large job also spreads over the threads.
constexpr size_t kMergeSlice = 8192;

}  // namespace

size_t HistogramBlockRows(size_t rows) {
  // At most 16 partial histograms per job, each over at least 8192 rows:
  // smaller jobs are one task (other jobs of the same level keep the other
  // threads busy), larger ones are cut into blocks enough for dynamic
  // balancing over a few threads.
  return std::max<size_t>(8192, (rows + 15) / 16);
}

void BuildHistograms(const BinnedMatrix& matrix, std::span<const float> stats, int channels,
                     std::span<const HistogramJob> jobs, HistogramScratch& scratch, const Context& ctx) {
  const size_t size = static_cast<size_t>(matrix.total_bins()) * static_cast<size_t>(channels);
  std::vector<BlockTask> tasks;
  // (job, first partial, blocks) of the jobs built from several blocks.
  struct Merge {
    size_t job;
    size_t first;
    size_t blocks;
  };
  std::vector<Merge> merges;
  size_t partials = 0;
  for (size_t j = 0; j < jobs.size(); ++j) {
    EMBER_CHECK(jobs[j].out.size() == size, "histogram of {} slots, expected {}", jobs[j].out.size(), size);
    const size_t n = jobs[j].rows.size();
    const size_t block = HistogramBlockRows(n);
    const size_t blocks = std::max<size_t>(1, NumBlocks(n, block));
    if (blocks == 1) {
      tasks.push_back({j, 0, n, -1});
      continue;
    }
    merges.push_back({j, partials, blocks});
    for (size_t b = 0; b < blocks; ++b) {
      tasks.push_back({j, b * block, std::min(n, (b + 1) * block), static_cast<long>(partials + b)});
    }
    partials += blocks;
  }
  if (scratch.partials.size() < partials * size) scratch.partials.resize(partials * size);
  ParallelFor(ctx, tasks.size(), 1, [&](const BlockRange& r) {
    const BlockTask& t = tasks[r.begin];
    const HistogramJob& job = jobs[t.job];
    double* out = t.partial < 0 ? job.out.data() : scratch.partials.data() + static_cast<size_t>(t.partial) * size;
    std::fill(out, out + size, 0.0);
    AccumulateRows(matrix, stats.data(), channels, job.rows.data() + t.begin, t.end - t.begin, out);
  });
  if (merges.empty()) return;
  const size_t slices = NumBlocks(size, kMergeSlice);
  ParallelFor(ctx, merges.size() * slices, 1, [&](const BlockRange& r) {
    const Merge& mg = merges[r.begin / slices];
    const size_t lo = (r.begin % slices) * kMergeSlice, hi = std::min(size, lo + kMergeSlice);
    double* out = jobs[mg.job].out.data();
    std::fill(out + lo, out + hi, 0.0);
    for (size_t b = 0; b < mg.blocks; ++b) {
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
