#include "ml/tree/histogram.h"

#include <algorithm>

#ifdef __AVX__
#include <immintrin.h>
#endif

#include "core/error.h"
#include "core/parallel_for.h"

namespace ember {

namespace {

// Rows of deep nodes are scattered over the matrix, so the loop is bound by
// memory latency: prefetch the bins and statistics of a row kPrefetch ahead.
constexpr size_t kPrefetch = 16;

// Every (row, feature) adds `C` doubles to one slot; with C known at compile
// time the add is a single vector operation (C = 4: one 256-bit add).
template <int C>
void Accumulate(const BinnedMatrix& m, const double* stats, const uint32_t* rows, size_t count, double* hist) {
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
    const double* s = stats + static_cast<size_t>(r) * C;
#ifdef __AVX__
    if constexpr (C == 4) {
      const __m256d v = _mm256_loadu_pd(s);
      for (int f = 0; f < d; ++f) {
        double* h = hist + static_cast<size_t>(offsets[f] + bins[f]) * C;
        _mm256_storeu_pd(h, _mm256_add_pd(_mm256_loadu_pd(h), v));
      }
      continue;
    }
#endif
    {
      double v[C];
      for (int c = 0; c < C; ++c) v[c] = s[c];
      for (int f = 0; f < d; ++f) {
        double* h = hist + static_cast<size_t>(offsets[f] + bins[f]) * C;
        for (int c = 0; c < C; ++c) h[c] += v[c];
      }
    }
  }
}

void AccumulateAny(const BinnedMatrix& m, const double* stats, int channels, const uint32_t* rows, size_t count,
                   double* hist) {
  const int d = m.num_features();
  const auto C = static_cast<size_t>(channels);
  const uint32_t* offsets = m.bin_offsets().data();
  for (size_t k = 0; k < count; ++k) {
    const uint32_t r = rows[k];
    const uint8_t* bins = m.row(r);
    const double* s = stats + static_cast<size_t>(r) * C;
    for (int f = 0; f < d; ++f) {
      double* h = hist + static_cast<size_t>(offsets[f] + bins[f]) * C;
      for (size_t c = 0; c < C; ++c) h[c] += s[c];
    }
  }
}

void AccumulateRows(const BinnedMatrix& m, const double* stats, int channels, const uint32_t* rows, size_t count,
                    double* hist) {
  switch (channels) {
    case 4: Accumulate<4>(m, stats, rows, count, hist); break;
    case 5: Accumulate<5>(m, stats, rows, count, hist); break;
    default: AccumulateAny(m, stats, channels, rows, count, hist);
  }
}

}  // namespace

size_t HistogramBlockRows(size_t rows) {
  // At most 16 partial histograms, each over at least 16384 rows: nodes
  // below 32768 rows are built inline (a parallel region costs more than
  // it saves there, most of all on a machine busy with other work), larger
  // ones in blocks enough for dynamic balancing over a few threads.
  return std::max<size_t>(16384, (rows + 15) / 16);
}

void BuildHistogram(const BinnedMatrix& matrix, std::span<const double> stats, int channels,
                    std::span<const uint32_t> rows, std::span<double> out, HistogramScratch& scratch,
                    const Context& ctx) {
  const size_t size = static_cast<size_t>(matrix.total_bins()) * static_cast<size_t>(channels);
  EMBER_CHECK(out.size() == size, "histogram of {} slots, expected {}", out.size(), size);
  std::fill(out.begin(), out.end(), 0.0);
  const size_t block = HistogramBlockRows(rows.size());
  const size_t blocks = NumBlocks(rows.size(), block);
  if (blocks <= 1) {
    AccumulateRows(matrix, stats.data(), channels, rows.data(), rows.size(), out.data());
    return;
  }
  scratch.partials.resize(blocks * size);
  ParallelFor(ctx, rows.size(), block, [&](const BlockRange& r) {
    double* partial = scratch.partials.data() + r.index * size;
    std::fill(partial, partial + size, 0.0);
    AccumulateRows(matrix, stats.data(), channels, rows.data() + r.begin, r.end - r.begin, partial);
  });
  for (size_t b = 0; b < blocks; ++b) {
    const double* partial = scratch.partials.data() + b * size;
    for (size_t j = 0; j < size; ++j) out[j] += partial[j];
  }
}

void SubtractHistogram(std::span<double> parent_then_larger, std::span<const double> smaller) {
  EMBER_CHECK(parent_then_larger.size() == smaller.size(), "histogram sizes differ");
  for (size_t j = 0; j < smaller.size(); ++j) parent_then_larger[j] -= smaller[j];
}

}  // namespace ember
