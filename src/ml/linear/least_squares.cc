#include "ml/linear/least_squares.h"

#include <cmath>

#include <fmt/format.h>

#include "core/error.h"
#include "core/parallel_for.h"

namespace ember {

namespace {

/// Calls f(i, w, x) with a dense double copy of row i's features.
template <class F>
void ForEachRow(const Design& design, const BlockRange& r, std::vector<double>& x, F&& f) {
  const auto d = static_cast<size_t>(design.dim);
  for (size_t i = r.begin; i < r.end; ++i) {
    if (design.sparse()) {
      std::fill(x.begin(), x.end(), 0.0);
      const SparseRow row = design.features->SparseRowAt(i);
      for (size_t t = 0; t < row.indices.size(); ++t) x[row.indices[t]] = row.values[t];
    } else {
      const float* src = design.features->DenseRow(i).data();
      for (size_t j = 0; j < d; ++j) x[j] = src[j];
    }
    f(i, design.weight(i), x);
  }
}

}  // namespace

void SolveNormalEquations(const Design& design, const FeatureStats& stats, const LeastSquaresOptions& options,
                          const Context& ctx, std::vector<double>* coefficients, double* intercept) {
  const auto d = static_cast<size_t>(design.dim);
  const double W = design.weight_sum;
  // Centre features and label when fitting an intercept: the centred Gram
  // matrix is far better conditioned than one with a column of ones.
  std::vector<double> mu(d, 0.0);
  double y_mean = 0;
  if (options.fit_intercept) {
    mu = stats.mean;
    for (size_t i = 0; i < design.rows; ++i) y_mean += design.weight(i) * design.labels[i];
    y_mean /= W;
  }
  struct Sums {
    std::vector<double> a, b;
  };
  const Sums s = ParallelReduce(ctx, design.rows, kDefaultBlockRows, Sums{}, [&](const BlockRange& r) {
    Sums local{std::vector<double>(d * d, 0.0), std::vector<double>(d, 0.0)};
    std::vector<double> x(d);
    ForEachRow(design, r, x, [&](size_t i, double w, std::vector<double>& f) {
      for (size_t j = 0; j < d; ++j) f[j] -= mu[j];
      const double y = design.labels[i] - y_mean;
      for (size_t u = 0; u < d; ++u) {
        const double wx = w * f[u];
        local.b[u] += wx * y;
        for (size_t v = 0; v <= u; ++v) local.a[u * d + v] += wx * f[v];
      }
    });
    return local;
  }, [d](Sums a, Sums b) {
    if (a.a.empty()) return b;
    for (size_t k = 0; k < d * d; ++k) a.a[k] += b.a[k];
    for (size_t k = 0; k < d; ++k) a.b[k] += b.b[k];
    return a;
  });
  std::vector<double> A = s.a, b = s.b;
  for (double& v : A) v /= W;
  for (double& v : b) v /= W;
  // Ridge term: l2 on coef_j (original) or on coef_j * std_j (standardised).
  for (size_t j = 0; j < d; ++j) {
    const double scale = options.standardization ? stats.std[j] * stats.std[j] : 1.0;
    A[j * d + j] += options.l2 * scale;
    if (stats.std[j] == 0 && options.fit_intercept) A[j * d + j] = 1.0;  // constant column: coefficient 0
  }
  // Cholesky A = L L' (lower triangle), then two triangular solves.
  for (size_t j = 0; j < d; ++j) {
    double diag = A[j * d + j];
    for (size_t k = 0; k < j; ++k) diag -= A[j * d + k] * A[j * d + k];
    if (!(diag > 1e-12 * std::max(1.0, std::abs(A[j * d + j])))) {
      throw InvalidArgument(fmt::format("LinearRegression: the normal equations are singular at feature {} (collinear "
                                        "features, or more features than rows); set regParam > 0 or use solver "
                                        "'l-bfgs'", j));
    }
    A[j * d + j] = std::sqrt(diag);
    for (size_t i = j + 1; i < d; ++i) {
      double v = A[i * d + j];
      for (size_t k = 0; k < j; ++k) v -= A[i * d + k] * A[j * d + k];
      A[i * d + j] = v / A[j * d + j];
    }
  }
  std::vector<double> z(d);
  for (size_t i = 0; i < d; ++i) {
    double v = b[i];
    for (size_t k = 0; k < i; ++k) v -= A[i * d + k] * z[k];
    z[i] = v / A[i * d + i];
  }
  std::vector<double> c(d);
  for (size_t i = d; i-- > 0;) {
    double v = z[i];
    for (size_t k = i + 1; k < d; ++k) v -= A[k * d + i] * c[k];
    c[i] = v / A[i * d + i];
  }
  double b0 = y_mean;
  for (size_t j = 0; j < d; ++j) b0 -= c[j] * mu[j];
  *coefficients = std::move(c);
  *intercept = options.fit_intercept ? b0 : 0.0;
}

LeastSquaresObjective::LeastSquaresObjective(const Design& design, const FeatureStats& stats,
                                             const LeastSquaresOptions& options, const Context& ctx)
    : design_(design), options_(options), ctx_(ctx) {
  Standardization scales = Standardization::Make(stats, options.fit_intercept);
  mean_ = std::move(scales.mean);
  inv_std_ = std::move(scales.inv_std);
}

size_t LeastSquaresObjective::num_params() const {
  return static_cast<size_t>(design_.dim) + (options_.fit_intercept ? 1 : 0);
}

std::vector<double> LeastSquaresObjective::L1Weights(double l1) const {
  std::vector<double> w(num_params(), 0.0);
  for (size_t j = 0; j < static_cast<size_t>(design_.dim); ++j) {
    w[j] = options_.standardization ? l1 : l1 * inv_std_[j];
  }
  return w;
}

void LeastSquaresObjective::ToOriginalScale(std::span<const double> theta, std::vector<double>* coefficients,
                                            double* intercept) const {
  const auto d = static_cast<size_t>(design_.dim);
  coefficients->assign(d, 0.0);
  double b = options_.fit_intercept ? theta[d] : 0.0;
  for (size_t j = 0; j < d; ++j) {
    (*coefficients)[j] = theta[j] * inv_std_[j];
    b -= (*coefficients)[j] * mean_[j];
  }
  *intercept = b;
}

double LeastSquaresObjective::operator()(std::span<const double> theta, std::span<double> gradient) const {
  const auto d = static_cast<size_t>(design_.dim);
  std::vector<double> coef;
  double offset = 0;
  ToOriginalScale(theta, &coef, &offset);
  struct Partial {
    double loss = 0;
    std::vector<double> g;  // d feature sums, then the residual sum
  };
  const Partial total = ParallelReduce(ctx_, design_.rows, kDefaultBlockRows, Partial{}, [&](const BlockRange& r) {
    Partial p{0.0, std::vector<double>(d + 1, 0.0)};
    for (size_t i = r.begin; i < r.end; ++i) {
      const double w = design_.weight(i);
      double m = offset;
      if (design_.sparse()) {
        const SparseRow row = design_.features->SparseRowAt(i);
        for (size_t t = 0; t < row.indices.size(); ++t) m += coef[row.indices[t]] * row.values[t];
        const double res = w * (m - design_.labels[i]);
        p.loss += 0.5 * res * (m - design_.labels[i]);
        for (size_t t = 0; t < row.indices.size(); ++t) p.g[row.indices[t]] += res * row.values[t];
        p.g[d] += res;
      } else {
        const float* x = design_.features->DenseRow(i).data();
#pragma omp simd reduction(+ : m)
        for (size_t j = 0; j < d; ++j) m += coef[j] * static_cast<double>(x[j]);
        const double res = w * (m - design_.labels[i]);
        p.loss += 0.5 * res * (m - design_.labels[i]);
#pragma omp simd
        for (size_t j = 0; j < d; ++j) p.g[j] += res * static_cast<double>(x[j]);
        p.g[d] += res;
      }
    }
    return p;
  }, [d](Partial a, Partial b) {
    if (a.g.empty()) return b;
    a.loss += b.loss;
    for (size_t j = 0; j <= d; ++j) a.g[j] += b.g[j];
    return a;
  });
  const double scale = 1.0 / design_.weight_sum;
  double value = total.loss * scale;
  for (size_t j = 0; j < d; ++j) {
    const double beta = theta[j];
    const double l2 = options_.standardization ? options_.l2 : options_.l2 * inv_std_[j] * inv_std_[j];
    gradient[j] = (total.g[j] - mean_[j] * total.g[d]) * inv_std_[j] * scale + l2 * beta;
    value += 0.5 * l2 * beta * beta;
  }
  if (options_.fit_intercept) gradient[d] = total.g[d] * scale;
  return value;
}

}  // namespace ember
