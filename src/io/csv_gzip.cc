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

// Lives on the heap: zlib's state points back at its z_stream.
struct GzipInflater::State {
  z_stream zs{};
  const Bytef* in = nullptr;  // input not yet handed to zlib
  size_t in_left = 0;
  size_t total_in = 0;
  bool done = false;
  std::string path;
  ~State() { inflateEnd(&zs); }
};

GzipInflater::GzipInflater(std::unique_ptr<State> state) : state_(std::move(state)) {}
GzipInflater::GzipInflater(GzipInflater&&) noexcept = default;
GzipInflater& GzipInflater::operator=(GzipInflater&&) noexcept = default;
GzipInflater::~GzipInflater() = default;

GzipInflater GzipInflater::Make(std::string_view data, std::string path) {
  if (data.empty()) throw CorruptData(fmt::format("{}: empty file is not gzip data", path));
  auto state = std::make_unique<State>();
  state->path = std::move(path);
  state->in = reinterpret_cast<const Bytef*>(data.data());
  state->in_left = data.size();
  state->total_in = data.size();
  if (inflateInit2(&state->zs, 15 + 32) != Z_OK) {
    // inflateEnd on a stream that failed to start is harmless.
    throw IoError(fmt::format("{}: cannot start zlib", state->path));
  }
  return GzipInflater(std::move(state));
}

size_t GzipInflater::consumed() const { return state_->total_in - state_->in_left - state_->zs.avail_in; }

size_t GzipInflater::Read(std::span<char> out) {
  State& s = *state_;
  z_stream& zs = s.zs;
  constexpr size_t kMaxStep = std::numeric_limits<uInt>::max();
  size_t produced = 0;
  while (!s.done && produced < out.size()) {
    if (zs.avail_in == 0) {
      const size_t step = std::min(s.in_left, kMaxStep);
      zs.next_in = const_cast<Bytef*>(s.in);
      zs.avail_in = static_cast<uInt>(step);
      s.in += step;
      s.in_left -= step;
    }
    const size_t room = std::min(out.size() - produced, kMaxStep);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    produced += room - zs.avail_out;
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0 && s.in_left == 0) {
        s.done = true;
        break;
      }
      // Another gzip member follows (as `cat a.gz b.gz` makes).
      if (inflateReset(&zs) != Z_OK) throw CorruptData(fmt::format("{}: corrupt gzip data", s.path));
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && s.in_left == 0) {
      throw CorruptData(fmt::format("{}: gzip data ends early (truncated file?)", s.path));
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      throw CorruptData(fmt::format("{}: corrupt gzip data ({})", s.path, zs.msg != nullptr ? zs.msg : "zlib error"));
    }
  }
  return produced;
}

std::string InflateGzip(std::string_view data, const std::string& path, ProgressBar* progress) {
  GzipInflater inflater = GzipInflater::Make(data, path);
  // The gzip trailer holds the size mod 2^32: a good first guess.
  size_t guess = data.size() * 4;
  if (HasGzipMagic(data) && data.size() >= 18) {
    uint32_t isize = 0;
    for (int i = 0; i < 4; ++i) {
      isize |= static_cast<uint32_t>(static_cast<unsigned char>(data[data.size() - 4 + i])) << (8 * i);
    }
    guess = std::max<size_t>(isize, 1024);
  }
  std::string out(guess, '\0');
  size_t produced = 0;
  size_t reported = 0;  // compressed bytes already reported to `progress`
  // Without a bar, one Read fills the whole guess; with one, a piece at a
  // time so that the bar moves.
  const size_t piece = progress != nullptr ? size_t{8} << 20 : std::numeric_limits<size_t>::max();
  for (;;) {
    if (produced == out.size()) out.resize(out.size() * 2);
    const size_t ask = std::min(piece, out.size() - produced);
    const size_t n = inflater.Read(std::span<char>(out.data() + produced, ask));
    produced += n;
    if (progress != nullptr) {
      progress->Advance(inflater.consumed() - reported);
      reported = inflater.consumed();
    }
    if (n < ask) break;  // Read fills what it is given until the data ends
  }
  out.resize(produced);
  return out;
}

}  // namespace ember
