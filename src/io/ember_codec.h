// The codecs of .ember buffers (ember_format.h): zstd, and zstd over a
// byte-stream split. Internal to the io layer.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "io/ember_format.h"

namespace ember {

/// Encodes `raw` with kZstd or kSplitZstd (elements of `width` bytes; raw's
/// size a multiple of it) at zstd `level`. Thread-safe.
std::vector<std::byte> EmberCompress(std::span<const std::byte> raw, EmberCodec codec, size_t width, int level);

/// Decodes stored buffers. Holds a zstd context and scratch memory, so keep
/// one per thread; not thread-safe.
class EmberDecoder {
 public:
  EmberDecoder();
  ~EmberDecoder();
  EmberDecoder(const EmberDecoder&) = delete;
  EmberDecoder& operator=(const EmberDecoder&) = delete;

  /// Decodes `stored` (kZstd or kSplitZstd with elements of `width` bytes)
  /// into exactly dst.size() bytes. Returns "" on success, otherwise what is
  /// wrong with the data (for the caller's CorruptData message).
  std::string Decode(std::span<const std::byte> stored, EmberCodec codec, size_t width, std::span<std::byte> dst);

 private:
  struct ZstdContext;
  std::unique_ptr<ZstdContext> zstd_;
  std::unique_ptr<std::byte[]> scratch_;  // one split block, uninitialised
  size_t scratch_width_ = 0;
};

}  // namespace ember
