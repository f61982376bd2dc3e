// xxhash64 fingerprints of buffers and files: checksums in .ember files and
// model data, and the input fingerprints recorded in run lineage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

struct XXH64_state_s;

namespace ember {

uint64_t Hash64(const void* data, size_t size, uint64_t seed = 0);
inline uint64_t Hash64(std::string_view s, uint64_t seed = 0) { return Hash64(s.data(), s.size(), seed); }
inline uint64_t Hash64(std::span<const std::byte> s, uint64_t seed = 0) { return Hash64(s.data(), s.size(), seed); }

/// Incremental xxhash64: Update() in pieces gives the same digest as Hash64
/// over the concatenation.
class StreamingHash {
 public:
  explicit StreamingHash(uint64_t seed = 0);
  ~StreamingHash();
  StreamingHash(const StreamingHash&) = delete;
  StreamingHash& operator=(const StreamingHash&) = delete;
  void Update(const void* data, size_t size);
  uint64_t Digest() const;

 private:
  XXH64_state_s* state_;
};

/// xxhash64 of a file's whole contents, read in bounded pieces.
/// Throws NotFound / IoError naming the path.
uint64_t FingerprintFile(const std::string& path);

/// 16 lowercase hex digits.
std::string HexDigest(uint64_t digest);

}  // namespace ember
