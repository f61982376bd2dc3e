#include "ml/feature/murmur3.h"

#include <bit>
#include <cstring>

namespace ember {

namespace {

constexpr uint32_t kC1 = 0xcc9e2d51;
constexpr uint32_t kC2 = 0x1b873593;

inline uint32_t MixK1(uint32_t k) {
  k *= kC1;
  k = std::rotl(k, 15);
  return k * kC2;
}

}  // namespace

uint32_t Murmur3_32(std::string_view bytes, uint32_t seed) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  const size_t aligned = n - n % 4;
  uint32_t h = seed;
  for (size_t i = 0; i < aligned; i += 4) {
    uint32_t k;
    std::memcpy(&k, p + i, 4);  // little-endian host (asserted in artifact.h)
    h ^= MixK1(k);
    h = std::rotl(h, 13);
    h = h * 5 + 0xe6546b64;
  }
  uint32_t k = 0;
  for (size_t i = aligned, shift = 0; i < n; ++i, shift += 8) k ^= static_cast<uint32_t>(p[i]) << shift;
  h ^= MixK1(k);
  h ^= static_cast<uint32_t>(n);
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

}  // namespace ember
