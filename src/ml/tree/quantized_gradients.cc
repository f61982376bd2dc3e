#include "ml/tree/quantized_gradients.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/parallel_for.h"
#include "core/random.h"

namespace ember {

namespace {

/// The smallest power of two s with largest / s <= steps (1 when largest is 0).
double PowerOfTwoScale(double largest, int steps) {
  if (!(largest > 0)) return 1.0;
  int exponent = 0;
  std::frexp(largest / steps, &exponent);  // largest / steps in [2^(e-1), 2^e)
  double scale = std::ldexp(1.0, exponent);
  if (largest / (scale / 2) <= steps) scale /= 2;  // an exact power of two needs no extra step
  return scale;
}

}  // namespace

int QuantizationLevels(size_t rows) {
  // sum |g_q| <= rows * levels < 2^31 and sum h_q <= rows * 2 levels < 2^32.
  const size_t fit = rows == 0 ? 127 : ((size_t{1} << 31) - 1) / rows;
  const int levels = static_cast<int>(std::min<size_t>(127, fit));
  return levels >= 16 ? levels : 0;
}

void QuantizeGradients(std::span<const float> stats, int levels, uint64_t seed, const Context& ctx,
                       QuantizedGradients& out) {
  const size_t n = stats.size() / 2;
  EMBER_CHECK(levels >= 1 && levels <= QuantizationLevels(n), "{} gradient levels for {} rows", levels, n);
  struct Extremes {
    double gradient = 0, hessian = 0;
  };
  const Extremes top = ParallelReduce(
      ctx, n, kDefaultBlockRows, Extremes{},
      [&](const BlockRange& r) {
        Extremes e;
        for (size_t i = r.begin; i < r.end; ++i) {
          e.gradient = std::max(e.gradient, static_cast<double>(std::abs(stats[2 * i])));
          e.hessian = std::max(e.hessian, static_cast<double>(stats[2 * i + 1]));
        }
        return e;
      },
      [](Extremes a, Extremes b) { return Extremes{std::max(a.gradient, b.gradient), std::max(a.hessian, b.hessian)}; });
  out.gradient_scale = PowerOfTwoScale(top.gradient, levels);
  out.hessian_scale = PowerOfTwoScale(top.hessian, 2 * levels);
  out.packed.resize(n);
  const double g_steps = 1.0 / out.gradient_scale, h_steps = 1.0 / out.hessian_scale;
  const double g_limit = levels, h_limit = 2.0 * levels;
  const uint64_t key = Mix64(seed);
  ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
    for (size_t i = r.begin; i < r.end; ++i) {
      // One hash gives both roundings' uniforms, 32 bits each.
      const uint64_t bits = Mix64(key ^ i);
      const double ug = static_cast<double>(bits >> 32) * 0x1.0p-32;
      const double uh = static_cast<double>(bits & 0xFFFFFFFFULL) * 0x1.0p-32;
      const double g = std::clamp(std::floor(stats[2 * i] * g_steps + ug), -g_limit, g_limit);
      // At least one step: a unit-row child is non-empty when its hessian is positive.
      const double h = std::clamp(std::floor(stats[2 * i + 1] * h_steps + uh), 1.0, h_limit);
      out.packed[i] = static_cast<uint32_t>(static_cast<uint16_t>(static_cast<int16_t>(g))) << 16 |
                      static_cast<uint32_t>(h);
    }
  });
}

}  // namespace ember
