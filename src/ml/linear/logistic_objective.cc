#include "ml/linear/logistic_objective.h"

#include <algorithm>
#include <cmath>

#include "core/fast_math.h"
#include "core/parallel_for.h"

namespace ember {

LogisticObjective::LogisticObjective(const Design& design, const FeatureStats& stats,
                                     const LogisticObjectiveOptions& options, const Context& ctx)
    : design_(design), options_(options), ctx_(ctx) {
  Standardization scales = Standardization::Make(stats, options.fit_intercept);
  mean_ = std::move(scales.mean);
  inv_std_ = std::move(scales.inv_std);
}

size_t LogisticObjective::num_params() const {
  const auto k = static_cast<size_t>(options_.num_margins);
  return k * static_cast<size_t>(design_.dim) + (options_.fit_intercept ? k : 0);
}

std::vector<double> LogisticObjective::L1Weights(double l1) const {
  const auto d = static_cast<size_t>(design_.dim);
  std::vector<double> w(num_params(), 0.0);
  for (int k = 0; k < options_.num_margins; ++k) {
    for (size_t j = 0; j < d; ++j) {
      // Without standardisation the penalty is on coef_j = beta_j / std_j.
      w[k * d + j] = options_.standardization ? l1 : l1 * inv_std_[j];
    }
  }
  return w;
}

void LogisticObjective::ToOriginalScale(std::span<const double> theta, std::vector<double>* coefficients,
                                        std::vector<double>* intercepts) const {
  const auto d = static_cast<size_t>(design_.dim);
  const auto K = static_cast<size_t>(options_.num_margins);
  coefficients->assign(K * d, 0.0);
  intercepts->assign(K, 0.0);
  for (size_t k = 0; k < K; ++k) {
    double offset = options_.fit_intercept ? theta[K * d + k] : 0.0;
    for (size_t j = 0; j < d; ++j) {
      const double c = theta[k * d + j] * inv_std_[j];
      (*coefficients)[k * d + j] = c;
      offset -= c * mean_[j];
    }
    (*intercepts)[k] = offset;
  }
}

namespace {

/// log(1 + exp(m)) without overflow.
inline double Softplus(double m) { return m > 0 ? m + std::log1p(std::exp(-m)) : std::log1p(std::exp(m)); }

struct Partial {
  double loss = 0;
  std::vector<double> grad;  // K x d, then K intercept terms
};

struct DenseBinomialInputs {
  const float* x;         // row-major rows x dim
  const double* labels;   // 0 or 1
  const double* weights;  // nullptr: every row weighs 1
  size_t dim;
  const double* coef;  // dim coefficients on the raw features
  double offset;       // the intercept on the raw features
};

// Rows per batch: 64 rows of 28 floats (7 KB) stay in L1 between the margin
// pass and the gradient pass over them.
constexpr size_t kBatch = 64;

// Adds to grad[0, dim) the gradient of rows [begin, end) and returns their
// loss; *residual_sum receives the intercept's gradient. Three vectorised
// passes per batch:
//  1. margins, four rows at a time, so four independent double accumulators
//     hide the FMA latency and each coefficient is loaded once per 4 rows;
//  2. loss and residual, branch-free (fast_math.h), vectorised across rows;
//  3. gradient, four rows at a time, so grad[] makes one round trip through
//     memory per 4 rows instead of one per row.
// The order of every sum depends on the row range only (fixed blocks): the
// result is the same for any thread count.
template <bool kWeighted>
double DenseBinomialRange(const DenseBinomialInputs& in, size_t begin, size_t end, double* grad, double* residual_sum) {
  const size_t d = in.dim;
  const double* c = in.coef;
  double margin[kBatch], residual[kBatch];
  double loss = 0, rsum = 0;
  for (size_t start = begin; start < end; start += kBatch) {
    const size_t count = std::min(kBatch, end - start);
    const float* x0 = in.x + start * d;
    size_t t = 0;
    for (; t + 4 <= count; t += 4) {
      const float* a = x0 + t * d;
      const float* b = a + d;
      const float* e = b + d;
      const float* h = e + d;
      double m0 = 0, m1 = 0, m2 = 0, m3 = 0;
#pragma omp simd reduction(+ : m0, m1, m2, m3)
      for (size_t j = 0; j < d; ++j) {
        const double cj = c[j];
        m0 += cj * static_cast<double>(a[j]);
        m1 += cj * static_cast<double>(b[j]);
        m2 += cj * static_cast<double>(e[j]);
        m3 += cj * static_cast<double>(h[j]);
      }
      margin[t] = in.offset + m0;
      margin[t + 1] = in.offset + m1;
      margin[t + 2] = in.offset + m2;
      margin[t + 3] = in.offset + m3;
    }
    for (; t < count; ++t) {
      const float* a = x0 + t * d;
      double m = 0;
#pragma omp simd reduction(+ : m)
      for (size_t j = 0; j < d; ++j) m += c[j] * static_cast<double>(a[j]);
      margin[t] = in.offset + m;
    }
    const double* y = in.labels + start;
    const double* w = kWeighted ? in.weights + start : nullptr;
#pragma omp simd reduction(+ : loss, rsum)
    for (size_t u = 0; u < count; ++u) {
      const double m = margin[u];
      const double e = ExpNonPositive(-std::abs(m));  // exp(-|m|) in (0, 1]
      const double softplus = std::max(m, 0.0) + Log1pUnit(e);
      const double sigmoid = (m >= 0 ? 1.0 : e) / (1.0 + e);
      const double wu = kWeighted ? w[u] : 1.0;
      loss += wu * (softplus - y[u] * m);
      const double ru = wu * (sigmoid - y[u]);
      residual[u] = ru;
      rsum += ru;
    }
    t = 0;
    for (; t + 4 <= count; t += 4) {
      const float* a = x0 + t * d;
      const float* b = a + d;
      const float* e = b + d;
      const float* h = e + d;
      const double r0 = residual[t], r1 = residual[t + 1], r2 = residual[t + 2], r3 = residual[t + 3];
#pragma omp simd
      for (size_t j = 0; j < d; ++j) {
        grad[j] += (r0 * static_cast<double>(a[j]) + r1 * static_cast<double>(b[j])) +
                   (r2 * static_cast<double>(e[j]) + r3 * static_cast<double>(h[j]));
      }
    }
    for (; t < count; ++t) {
      const float* a = x0 + t * d;
      const double r0 = residual[t];
#pragma omp simd
      for (size_t j = 0; j < d; ++j) grad[j] += r0 * static_cast<double>(a[j]);
    }
  }
  *residual_sum = rsum;
  return loss;
}

}  // namespace

double LogisticObjective::operator()(std::span<const double> theta, std::span<double> gradient) const {
  const auto d = static_cast<size_t>(design_.dim);
  const auto K = static_cast<size_t>(options_.num_margins);
  // Coefficients on the raw features and the per-margin offset.
  std::vector<double> coef, offset;
  ToOriginalScale(theta, &coef, &offset);
  const Column& f = *design_.features;
  const bool sparse = design_.sparse();
  const size_t width = K * d + K;

  // Dense binomial data, the common case, takes a batched path (see
  // DenseBinomialBatch); the weighted and unweighted loops are separate so
  // neither tests for weights per row.
  auto dense_binomial_block = [&](const BlockRange& r) {
    Partial p;
    p.grad.assign(width, 0.0);
    const DenseBinomialInputs in{.x = f.DenseRow(0).data(),
                                 .labels = design_.labels.data(),
                                 .weights = design_.weights.empty() ? nullptr : design_.weights.data(),
                                 .dim = d,
                                 .coef = coef.data(),
                                 .offset = offset[0]};
    double residual_sum = 0;
    p.loss = in.weights == nullptr ? DenseBinomialRange<false>(in, r.begin, r.end, p.grad.data(), &residual_sum)
                                   : DenseBinomialRange<true>(in, r.begin, r.end, p.grad.data(), &residual_sum);
    p.grad[d] = residual_sum;
    return p;
  };

  auto block = [&](const BlockRange& r) {
    if (!sparse && K == 1) return dense_binomial_block(r);
    Partial p;
    p.grad.assign(width, 0.0);
    double* g = p.grad.data();
    double* gi = g + K * d;
    std::vector<double> margins(K), probs(K);
    for (size_t i = r.begin; i < r.end; ++i) {
      const double w = design_.weight(i);
      const double y = design_.labels[i];
      if (!sparse) {
        const float* x = f.DenseRow(i).data();
        for (size_t k = 0; k < K; ++k) {
          const double* c = coef.data() + k * d;
          double m = offset[k];
#pragma omp simd reduction(+ : m)
          for (size_t j = 0; j < d; ++j) m += c[j] * static_cast<double>(x[j]);
          margins[k] = m;
        }
      } else {
        const SparseRow row = f.SparseRowAt(i);
        for (size_t k = 0; k < K; ++k) {
          const double* c = coef.data() + k * d;
          double m = offset[k];
          for (size_t t = 0; t < row.indices.size(); ++t) m += c[row.indices[t]] * row.values[t];
          margins[k] = m;
        }
      }
      if (K == 1) {
        const double m = margins[0];
        p.loss += w * (Softplus(m) - y * m);
        probs[0] = w * (1.0 / (1.0 + std::exp(-m)) - y);
      } else {
        const double top = *std::max_element(margins.begin(), margins.end());
        double sum = 0;
        for (size_t k = 0; k < K; ++k) sum += (probs[k] = std::exp(margins[k] - top));
        const auto label = static_cast<size_t>(y);
        p.loss += w * (top + std::log(sum) - margins[label]);
        for (size_t k = 0; k < K; ++k) probs[k] = w * (probs[k] / sum - (k == label ? 1.0 : 0.0));
      }
      // probs now holds the per-margin residuals r_k = w (p_k - y_k).
      for (size_t k = 0; k < K; ++k) {
        const double rk = probs[k];
        double* gk = g + k * d;
        if (!sparse) {
          const float* x = f.DenseRow(i).data();
#pragma omp simd
          for (size_t j = 0; j < d; ++j) gk[j] += rk * static_cast<double>(x[j]);
        } else {
          const SparseRow row = f.SparseRowAt(i);
          for (size_t t = 0; t < row.indices.size(); ++t) gk[row.indices[t]] += rk * row.values[t];
        }
        gi[k] += rk;
      }
    }
    return p;
  };
  const Partial total =
      ParallelReduce(ctx_, design_.rows, kDefaultBlockRows, Partial{}, block, [width](Partial a, Partial b) {
        if (a.grad.empty()) return b;
        a.loss += b.loss;
        for (size_t j = 0; j < width; ++j) a.grad[j] += b.grad[j];
        return a;
      });
  // Chain rule back to standardised, virtually centred parameters:
  // d/dbeta_kj = (G_kj - mean_j R_k) / std_j, d/db_k = R_k.
  const double scale = 1.0 / design_.weight_sum;
  double value = total.loss * scale;
  for (size_t k = 0; k < K; ++k) {
    const double rk = total.grad[K * d + k];
    for (size_t j = 0; j < d; ++j) {
      const size_t at = k * d + j;
      const double beta = theta[at];
      double gj = (total.grad[at] - mean_[j] * rk) * inv_std_[j] * scale;
      // L2 on standardised (beta) or original (beta / std) coefficients.
      const double l2 = options_.standardization ? options_.l2 : options_.l2 * inv_std_[j] * inv_std_[j];
      gj += l2 * beta;
      value += 0.5 * l2 * beta * beta;
      gradient[at] = gj;
    }
    if (options_.fit_intercept) gradient[K * d + k] = rk * scale;
  }
  return value;
}

}  // namespace ember
