// Seeded random numbers that do not depend on the thread count: a stream is
// derived from (seed, stream id) with SplitMix64, so the rows of block k are
// drawn from the same numbers however blocks are spread over threads.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>

namespace ember {

/// SplitMix64 finaliser: a high-quality 64-bit mix of x.
constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// Uniform double in [0, 1) that depends only on (seed, index).
inline double UniformAt(uint64_t seed, uint64_t index) {
  return static_cast<double>(Mix64(Mix64(seed) ^ index) >> 11) * 0x1.0p-53;
}

/// xoshiro256** generator for one stream; small, fast, not thread-safe.
class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t x = Mix64(seed) ^ Mix64(stream + 0x632BE59BD9B4E019ULL);
    for (auto& s : state_) s = x = Mix64(x);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }
  /// Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  /// Uniform integer in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>(Uniform() * static_cast<double>(n)); }
  /// Standard normal (Box-Muller; the second value is cached).
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = Uniform();
    while (u1 <= 0.0) u1 = Uniform();
    const double u2 = Uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2 * std::numbers::pi * u2);
    has_spare_ = true;
    return r * std::cos(2 * std::numbers::pi * u2);
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  /// Exponential with the given mean.
  double Exponential(double mean) { return -mean * std::log1p(-Uniform()); }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace ember
