#include "ml/linear/lbfgs.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

#include "core/error.h"

namespace ember {

namespace {

double Dot(std::span<const double> a, std::span<const double> b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

double MaxAbs(std::span<const double> a) {
  double m = 0;
  for (double v : a) m = std::max(m, std::abs(v));
  return m;
}

struct Pair {
  std::vector<double> s;  // x_{k+1} - x_k
  std::vector<double> y;  // g_{k+1} - g_k
  double rho;             // 1 / (y . s)
};

/// Two-loop recursion: returns H * v with the implicit inverse Hessian.
std::vector<double> ApplyInverseHessian(const std::deque<Pair>& pairs, std::span<const double> v) {
  std::vector<double> q(v.begin(), v.end());
  std::vector<double> alpha(pairs.size());
  for (size_t k = pairs.size(); k-- > 0;) {
    alpha[k] = pairs[k].rho * Dot(pairs[k].s, q);
    for (size_t i = 0; i < q.size(); ++i) q[i] -= alpha[k] * pairs[k].y[i];
  }
  if (!pairs.empty()) {
    const Pair& last = pairs.back();
    const double gamma = Dot(last.s, last.y) / Dot(last.y, last.y);
    for (double& x : q) x *= gamma;
  }
  for (size_t k = 0; k < pairs.size(); ++k) {
    const double beta = pairs[k].rho * Dot(pairs[k].y, q);
    for (size_t i = 0; i < q.size(); ++i) q[i] += (alpha[k] - beta) * pairs[k].s[i];
  }
  return q;
}

/// Evaluation of the objective along x + t d.
struct LineSearch {
  const SmoothObjective& f;
  std::span<const double> x;
  std::span<const double> d;
  std::vector<double> trial_x;
  std::vector<double> trial_g;

  double Eval(double t) {
    for (size_t i = 0; i < x.size(); ++i) trial_x[i] = x[i] + t * d[i];
    return f(trial_x, trial_g);
  }
};

/// Minimiser of the cubic interpolating (a, fa, ga) and (b, fb, gb), clamped
/// inside the interval with a safeguard against the ends.
double CubicMin(double a, double fa, double ga, double b, double fb, double gb) {
  const double d1 = ga + gb - 3 * (fa - fb) / (a - b);
  const double disc = d1 * d1 - ga * gb;
  double t;
  if (disc >= 0) {
    const double d2 = std::copysign(std::sqrt(disc), b - a);
    t = b - (b - a) * (gb + d2 - d1) / (gb - ga + 2 * d2);
  } else {
    t = 0.5 * (a + b);
  }
  const double lo = std::min(a, b), hi = std::max(a, b), margin = 0.1 * (hi - lo);
  if (!std::isfinite(t) || t < lo + margin || t > hi - margin) t = 0.5 * (a + b);
  return t;
}

/// Strong-Wolfe line search (Nocedal & Wright, algorithms 3.5 and 3.6).
/// On success returns the step and leaves the point and gradient in ls.
bool StrongWolfe(LineSearch& ls, double f0, double g0, double t_init, double* step, double* f_out) {
  constexpr double c1 = 1e-4, c2 = 0.9;
  constexpr int kMaxEvals = 40;
  double t_prev = 0, f_prev = f0, g_prev = g0;
  double t = t_init;
  int evals = 0;
  auto zoom = [&](double lo, double f_lo, double g_lo, double hi, double f_hi, double g_hi) -> bool {
    while (evals++ < kMaxEvals) {
      const double tj = CubicMin(lo, f_lo, g_lo, hi, f_hi, g_hi);
      const double fj = ls.Eval(tj);
      const double gj = Dot(ls.trial_g, ls.d);
      if (fj > f0 + c1 * tj * g0 || fj >= f_lo) {
        hi = tj, f_hi = fj, g_hi = gj;
      } else {
        if (std::abs(gj) <= -c2 * g0) {
          *step = tj;
          *f_out = fj;
          return true;
        }
        if (gj * (hi - lo) >= 0) hi = lo, f_hi = f_lo, g_hi = g_lo;
        lo = tj, f_lo = fj, g_lo = gj;
      }
      if (std::abs(hi - lo) < 1e-16 * std::max(1.0, std::abs(lo))) break;
    }
    // Accept the best point seen if it decreased the objective.
    if (f_lo < f0 && lo > 0) {
      *step = lo;
      *f_out = ls.Eval(lo);
      return true;
    }
    return false;
  };
  while (evals++ < kMaxEvals) {
    const double ft = ls.Eval(t);
    const double gt = Dot(ls.trial_g, ls.d);
    if (!std::isfinite(ft) || ft > f0 + c1 * t * g0 || (evals > 1 && ft >= f_prev)) {
      if (!std::isfinite(ft)) {  // overshot into overflow: shrink
        t *= 0.1;
        continue;
      }
      return zoom(t_prev, f_prev, g_prev, t, ft, gt);
    }
    if (std::abs(gt) <= -c2 * g0) {
      *step = t;
      *f_out = ft;
      return true;
    }
    if (gt >= 0) return zoom(t, ft, gt, t_prev, f_prev, g_prev);
    t_prev = t, f_prev = ft, g_prev = gt;
    t *= 2;
  }
  return false;
}

/// OWL-QN pseudo-gradient of f + sum l1_j |x_j|.
void PseudoGradient(std::span<const double> x, std::span<const double> g, std::span<const double> l1,
                    std::span<double> pg) {
  for (size_t i = 0; i < x.size(); ++i) {
    const double w = l1.empty() ? 0.0 : l1[i];
    if (w == 0) {
      pg[i] = g[i];
    } else if (x[i] > 0) {
      pg[i] = g[i] + w;
    } else if (x[i] < 0) {
      pg[i] = g[i] - w;
    } else if (g[i] + w < 0) {
      pg[i] = g[i] + w;
    } else if (g[i] - w > 0) {
      pg[i] = g[i] - w;
    } else {
      pg[i] = 0;
    }
  }
}

double L1Term(std::span<const double> x, std::span<const double> l1) {
  double s = 0;
  for (size_t i = 0; i < l1.size(); ++i) s += l1[i] * std::abs(x[i]);
  return s;
}

}  // namespace

LbfgsResult MinimizeLbfgs(const SmoothObjective& objective, std::vector<double> x0, const LbfgsOptions& options) {
  EMBER_CHECK(options.l1.empty() || options.l1.size() == x0.size(), "l1 weights have {} entries for {} coefficients",
              options.l1.size(), x0.size());
  const bool owlqn = std::any_of(options.l1.begin(), options.l1.end(), [](double w) { return w != 0; });
  const size_t n = x0.size();
  LbfgsResult result;
  std::vector<double> x = std::move(x0), g(n), pg(n);
  double f = objective(x, g);
  double total = f + L1Term(x, options.l1);
  result.objective_history.push_back(total);
  std::deque<Pair> pairs;
  LineSearch ls{objective, x, {}, std::vector<double>(n), std::vector<double>(n)};

  for (int iter = 0; iter < options.max_iterations; ++iter) {
    PseudoGradient(x, g, options.l1, pg);
    if (MaxAbs(pg) < options.tolerance) {
      result.converged = true;
      result.stop_reason = "gradient below tolerance";
      break;
    }
    std::vector<double> d = ApplyInverseHessian(pairs, pg);
    for (double& v : d) v = -v;
    if (owlqn) {  // keep the direction inside the orthant the pseudo-gradient points to
      for (size_t i = 0; i < n; ++i) {
        if (d[i] * pg[i] >= 0) d[i] = 0;
      }
    }
    double slope = Dot(pg, d);
    if (!(slope < 0)) {  // not a descent direction: restart from steepest descent
      pairs.clear();
      for (size_t i = 0; i < n; ++i) d[i] = -pg[i];
      slope = Dot(pg, d);
    }
    const double t_init = pairs.empty() ? std::min(1.0, 1.0 / std::max(MaxAbs(pg), 1e-12)) : 1.0;

    std::vector<double> x_new(n), g_new(n);
    double f_new = 0, total_new = 0;
    bool ok = false;
    if (!owlqn) {
      ls.x = x;
      ls.d = d;
      double step = 0;
      ok = StrongWolfe(ls, f, slope, t_init, &step, &f_new);
      if (ok) {
        x_new = ls.trial_x;
        g_new = ls.trial_g;
        total_new = f_new;
      }
    } else {
      // Backtracking along the projected path (Wolfe conditions do not apply
      // to the non-smooth objective).
      double t = t_init;
      for (int k = 0; k < 50 && !ok; ++k, t *= 0.5) {
        for (size_t i = 0; i < n; ++i) {
          x_new[i] = x[i] + t * d[i];
          const double orthant = x[i] != 0 ? x[i] : -pg[i];
          if (x_new[i] * orthant <= 0) x_new[i] = 0;
        }
        f_new = objective(x_new, g_new);
        total_new = f_new + L1Term(x_new, options.l1);
        double decrease = 0;
        for (size_t i = 0; i < n; ++i) decrease += pg[i] * (x_new[i] - x[i]);
        ok = std::isfinite(total_new) && total_new <= total + 1e-4 * decrease;
      }
    }
    if (ok && owlqn && !(total_new < total)) {
      // The projected step no longer decreases the objective: at machine precision.
      result.converged = true;
      result.stop_reason = "no further decrease";
      break;
    }
    if (!ok) {
      result.stop_reason = "line search failed";
      // A failed search at a point where nothing decreases further is convergence in practice.
      result.converged = MaxAbs(pg) < std::sqrt(options.tolerance);
      break;
    }
    Pair p{std::vector<double>(n), std::vector<double>(n), 0};
    for (size_t i = 0; i < n; ++i) {
      p.s[i] = x_new[i] - x[i];
      p.y[i] = g_new[i] - g[i];
    }
    const double sy = Dot(p.s, p.y);
    if (sy > 1e-12 * Dot(p.y, p.y)) {  // curvature condition keeps H positive definite
      p.rho = 1.0 / sy;
      pairs.push_back(std::move(p));
      if (static_cast<int>(pairs.size()) > options.history) pairs.pop_front();
    }
    const double previous = total;
    x.swap(x_new);
    g.swap(g_new);
    f = f_new;
    total = total_new;
    result.objective_history.push_back(total);
    if (options.on_iteration) options.on_iteration(iter + 1);
    result.iterations = iter + 1;
    const double rel = std::abs(previous - total) / std::max({std::abs(previous), std::abs(total), 1.0});
    if (rel < options.tolerance) {
      result.converged = true;
      result.stop_reason = "relative objective change below tolerance";
      break;
    }
  }
  if (result.stop_reason.empty()) result.stop_reason = "max iterations reached";
  result.x = std::move(x);
  return result;
}

}  // namespace ember
