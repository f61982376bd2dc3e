// Branch-free double-precision exp and log1p for the ranges the loss
// functions need. Plain arithmetic, so loops over arrays of them vectorise
// (glibc's exp/log1p calls do not); accurate to a few ulps.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>

namespace ember {

/// exp(x) for x <= 0 (x below -708 returns 0 up to denormals).
inline double ExpNonPositive(double x) {
  // Clamp to [-708, -0] on the bits: for non-positive doubles, a smaller
  // signed integer is a more negative number. Integer min and or are
  // arithmetic to the compiler; a floating-point compare would become a
  // branch (the clamped path folds to a constant) and stop vectorisation.
  constexpr int64_t kSign = INT64_MIN;
  x = std::bit_cast<double>(std::min(std::bit_cast<int64_t>(x) | kSign, std::bit_cast<int64_t>(-708.0)));
  // x = n ln2 + r, |r| <= ln2 / 2, with ln2 split in two for exactness.
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  // Round x / ln2 to the nearest integer by adding 1.5 * 2^52: the sum's low
  // mantissa bits hold n, and no float-to-int64 conversion is needed (AVX2
  // has none, and the loops calling this would not vectorise).
  constexpr double kRoundShift = 6755399441055744.0;
  const double shifted = x * kLog2e + kRoundShift;
  const double n = shifted - kRoundShift;
  const double r = (x - n * kLn2Hi) - n * kLn2Lo;
  // Taylor polynomial of degree 13 on |r| <= 0.35: truncation error < 1e-17.
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // 2^n: n + 1023 in the exponent field; the shift drops the bits above it.
  const uint64_t bits = (std::bit_cast<uint64_t>(shifted) + 1023) << 52;
  return p * std::bit_cast<double>(bits);
}

/// log(1 + e) for e in [0, 1]: 2 atanh(s) with s = e / (2 + e) <= 1/3, whose
/// odd series in s converges by a factor 1/9 per term.
inline double Log1pUnit(double e) {
  const double s = e / (2.0 + e);
  const double s2 = s * s;
  double p = 1.0 / 35.0;
  p = p * s2 + 1.0 / 33.0;
  p = p * s2 + 1.0 / 31.0;
  p = p * s2 + 1.0 / 29.0;
  p = p * s2 + 1.0 / 27.0;
  p = p * s2 + 1.0 / 25.0;
  p = p * s2 + 1.0 / 23.0;
  p = p * s2 + 1.0 / 21.0;
  p = p * s2 + 1.0 / 19.0;
  p = p * s2 + 1.0 / 17.0;
  p = p * s2 + 1.0 / 15.0;
  p = p * s2 + 1.0 / 13.0;
  p = p * s2 + 1.0 / 11.0;
  p = p * s2 + 1.0 / 9.0;
  p = p * s2 + 1.0 / 7.0;
  p = p * s2 + 1.0 / 5.0;
  p = p * s2 + 1.0 / 3.0;
  p = p * s2 + 1.0;
  return 2.0 * s * p;
}

}  // namespace ember
