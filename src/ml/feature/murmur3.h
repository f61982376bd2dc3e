// MurmurHash3 x86_32, the term hash of Spark's HashingTF and FeatureHasher
// (Murmur3_x86_32.hashUnsafeBytes2, seed 42), so hashed indices match Spark.
#pragma once

#include <cstdint>
#include <string_view>

namespace ember {

/// The seed Spark's HashingTF and FeatureHasher use.
inline constexpr uint32_t kSparkHashSeed = 42;

/// MurmurHash3_x86_32 of the bytes (Austin Appleby's reference algorithm).
uint32_t Murmur3_32(std::string_view bytes, uint32_t seed);

/// Spark's feature index of a term: Utils.nonNegativeMod of the signed
/// 32-bit murmur3 (seed 42) of its UTF-8 bytes. REQUIRES: num_features > 0.
inline int32_t SparkTermIndex(std::string_view term, int32_t num_features) {
  const auto h = static_cast<int32_t>(Murmur3_32(term, kSparkHashSeed));
  const int32_t m = h % num_features;
  return m < 0 ? m + num_features : m;
}

}  // namespace ember
