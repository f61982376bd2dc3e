#include "io/csv_gzip.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <fmt/format.h>
#include <zlib.h>

#include "core/error.h"

namespace ember {

bool HasGzipMagic(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

namespace {

// Ends a z_stream however inflation leaves.
struct InflateGuard {
  z_stream* stream;
  ~InflateGuard() { inflateEnd(stream); }
};

}  // namespace

std::string InflateGzip(std::string_view data, const std::string& path) {
  std::string out;
  if (data.empty()) throw CorruptData(fmt::format("{}: empty file is not gzip data", path));
  // The gzip trailer holds the size mod 2^32: a good first guess.
  size_t guess = data.size() * 4;
  if (HasGzipMagic(data) && data.size() >= 18) {
    uint32_t isize = 0;
    for (int i = 0; i < 4; ++i) isize |= static_cast<uint32_t>(static_cast<unsigned char>(data[data.size() - 4 + i])) << (8 * i);
    guess = std::max<size_t>(isize, 1024);
  }
  out.resize(guess);

  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) throw IoError(fmt::format("{}: cannot start zlib", path));
  InflateGuard guard{&zs};
  const auto* in = reinterpret_cast<const Bytef*>(data.data());
  size_t in_left = data.size();
  size_t produced = 0;
  constexpr size_t kMaxStep = std::numeric_limits<uInt>::max();
  for (;;) {
    if (produced == out.size()) out.resize(out.size() * 2);
    if (zs.avail_in == 0) {
      const size_t step = std::min(in_left, kMaxStep);
      zs.next_in = const_cast<Bytef*>(in);
      zs.avail_in = static_cast<uInt>(step);
      in += step;
      in_left -= step;
    }
    const size_t room = std::min(out.size() - produced, kMaxStep);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    produced += room - zs.avail_out;
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0 && in_left == 0) break;
      // Another gzip member follows (as `cat a.gz b.gz` makes).
      if (inflateReset(&zs) != Z_OK) throw CorruptData(fmt::format("{}: corrupt gzip data", path));
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0) {
      throw CorruptData(fmt::format("{}: gzip data ends early (truncated file?)", path));
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      throw CorruptData(fmt::format("{}: corrupt gzip data ({})", path, zs.msg != nullptr ? zs.msg : "zlib error"));
    }
  }
  out.resize(produced);
  return out;
}

}  // namespace ember
