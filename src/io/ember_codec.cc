// zstd and byte-stream split for .ember buffers.
#include "io/ember_codec.h"

#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>

#include <fmt/format.h>

#include "core/error.h"

namespace ember {

namespace {

/// One block: planes[k * n + i] = bytes[i * W + k] for n elements.
template <size_t W>
void SplitBlock(const std::byte* bytes, std::byte* planes, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < W; ++k) planes[k * n + i] = bytes[i * W + k];
  }
}

/// The inverse of SplitBlock, with whole-element stores the compiler vectorises.
template <size_t W>
void UnsplitBlock(const std::byte* planes, std::byte* bytes, size_t n) {
  using Word = std::conditional_t<W == 8, uint64_t, uint32_t>;
  static_assert(sizeof(Word) == W);
  const auto* p = reinterpret_cast<const uint8_t*>(planes);
  for (size_t i = 0; i < n; ++i) {
    Word v = 0;
    for (size_t k = 0; k < W; ++k) v |= static_cast<Word>(p[k * n + i]) << (8 * k);
    std::memcpy(bytes + i * W, &v, W);
  }
}

void SplitBlockAnyWidth(const std::byte* bytes, std::byte* planes, size_t n, size_t width) {
  if (width == 4) return SplitBlock<4>(bytes, planes, n);
  if (width == 8) return SplitBlock<8>(bytes, planes, n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < width; ++k) planes[k * n + i] = bytes[i * width + k];
  }
}

void UnsplitBlockAnyWidth(const std::byte* planes, std::byte* bytes, size_t n, size_t width) {
  if (width == 4) return UnsplitBlock<4>(planes, bytes, n);
  if (width == 8) return UnsplitBlock<8>(planes, bytes, n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < width; ++k) bytes[i * width + k] = planes[k * n + i];
  }
}

}  // namespace

std::vector<std::byte> EmberCompress(std::span<const std::byte> raw, EmberCodec codec, size_t width, int level) {
  EMBER_CHECK(codec == EmberCodec::kZstd || (codec == EmberCodec::kSplitZstd && width > 1 && raw.size() % width == 0),
              "cannot encode {} bytes as {} with width {}", raw.size(), EmberCodecName(codec), width);
  std::vector<std::byte> planes;
  if (codec == EmberCodec::kSplitZstd) {
    planes.resize(raw.size());
    const size_t n = raw.size() / width;
    for (size_t begin = 0; begin < n; begin += kEmberSplitBlock) {
      const size_t count = std::min(kEmberSplitBlock, n - begin);
      SplitBlockAnyWidth(raw.data() + begin * width, planes.data() + begin * width, count, width);
    }
    raw = planes;
  }
  std::vector<std::byte> out(ZSTD_compressBound(raw.size()));
  const size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), level);
  EMBER_CHECK(!ZSTD_isError(n), "zstd compression failed: {}", ZSTD_getErrorName(n));
  out.resize(n);
  out.shrink_to_fit();
  return out;
}

struct EmberDecoder::ZstdContext {
  ZstdContext() : dctx(ZSTD_createDCtx()) {
    if (dctx == nullptr) throw std::bad_alloc();
  }
  ~ZstdContext() { ZSTD_freeDCtx(dctx); }
  ZSTD_DCtx* dctx;
};

EmberDecoder::EmberDecoder() = default;
EmberDecoder::~EmberDecoder() = default;

std::string EmberDecoder::Decode(std::span<const std::byte> stored, EmberCodec codec, size_t width,
                                 std::span<std::byte> dst) {
  if (!zstd_) zstd_ = std::make_unique<ZstdContext>();
  const bool split = codec == EmberCodec::kSplitZstd;
  EMBER_CHECK(codec == EmberCodec::kZstd || (split && width > 1 && dst.size() % width == 0),
              "cannot decode {} with width {} into {} bytes", EmberCodecName(codec), width, dst.size());
  const size_t got = ZSTD_decompressDCtx(zstd_->dctx, dst.data(), dst.size(), stored.data(), stored.size());
  if (ZSTD_isError(got)) return fmt::format("zstd data does not decode ({})", ZSTD_getErrorName(got));
  if (got != dst.size()) return fmt::format("zstd data decodes to {} bytes instead of {}", got, dst.size());
  if (!split) return "";
  // Each block's planes fill exactly the block's own bytes, so the split is
  // undone block by block through a small, cache-resident scratch.
  const size_t n = dst.size() / width;
  if (!scratch_ || scratch_width_ < width) {
    scratch_.reset(new std::byte[kEmberSplitBlock * width]);
    scratch_width_ = width;
  }
  for (size_t begin = 0; begin < n; begin += kEmberSplitBlock) {
    const size_t count = std::min(kEmberSplitBlock, n - begin);
    std::byte* block = dst.data() + begin * width;
    std::memcpy(scratch_.get(), block, count * width);
    UnsplitBlockAnyWidth(scratch_.get(), block, count, width);
  }
  return "";
}

}  // namespace ember
