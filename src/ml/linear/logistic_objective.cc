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

  // Dense binomial data, the common case, takes a batched path: margins of a
  // batch of rows, then their losses and residuals in one vectorised loop
  // (branch-free exp/log1p), then the gradient from the rows still in cache.
  auto dense_binomial_block = [&](const BlockRange& r) {
    constexpr size_t kBatch = 64;
    Partial p;
    p.grad.assign(width, 0.0);
    double* g = p.grad.data();
    double margin[kBatch], residual[kBatch];
    const double* c = coef.data();
    const double c0 = offset[0];
    double loss = 0, residual_sum = 0;
    for (size_t start = r.begin; start < r.end; start += kBatch) {
      const size_t count = std::min(kBatch, r.end - start);
      const float* x0 = f.DenseRow(start).data();
      for (size_t t = 0; t < count; ++t) {
        const float* x = x0 + t * d;
        double m = c0;
#pragma omp simd reduction(+ : m)
        for (size_t j = 0; j < d; ++j) m += c[j] * static_cast<double>(x[j]);
        margin[t] = m;
      }
#pragma omp simd reduction(+ : loss, residual_sum)
      for (size_t t = 0; t < count; ++t) {
        const size_t i = start + t;
        const double m = margin[t];
        const double w = design_.weight(i);
        const double y = design_.labels[i];
        const double e = ExpNonPositive(-std::abs(m));  // exp(-|m|) in (0, 1]
        const double softplus = std::max(m, 0.0) + Log1pUnit(e);
        const double sigmoid = (m >= 0 ? 1.0 : e) / (1.0 + e);
        loss += w * (softplus - y * m);
        residual[t] = w * (sigmoid - y);
        residual_sum += residual[t];
      }
      for (size_t t = 0; t < count; ++t) {
        const float* x = x0 + t * d;
        const double rt = residual[t];
#pragma omp simd
        for (size_t j = 0; j < d; ++j) g[j] += rt * static_cast<double>(x[j]);
      }
    }
    p.loss = loss;
    g[d] = residual_sum;
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
  const Partial total = ParallelReduce(ctx_, design_.rows, kDefaultBlockRows, Partial{}, block,
                                       [width](Partial a, Partial b) {
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
