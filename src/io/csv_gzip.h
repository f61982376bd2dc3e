// Inflating gzip (and zlib) compressed text: in one piece for readers that
// parse the whole text in memory, or piece by piece for readers that stream
// it in batches.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/progress.h"

namespace ember {

/// True when `data` starts with the gzip magic bytes 1f 8b.
bool HasGzipMagic(std::string_view data);

/// The inflated bytes of `data` (gzip, concatenated gzip members, or zlib).
/// `progress` (may be null) advances by the compressed bytes consumed, a
/// few MiB of output at a time. Throws CorruptData naming `path` when the
/// stream is corrupt or truncated.
std::string InflateGzip(std::string_view data, const std::string& path, ProgressBar* progress = nullptr);

/// Inflates `data` (as InflateGzip) a piece at a time. Not thread-safe;
/// movable, not copyable. REQUIRES: `data` outlives the inflater.
class GzipInflater {
 public:
  /// Throws CorruptData naming `path` for empty data, IoError when zlib
  /// cannot start.
  static GzipInflater Make(std::string_view data, std::string path);
  GzipInflater(GzipInflater&&) noexcept;
  GzipInflater& operator=(GzipInflater&&) noexcept;
  ~GzipInflater();

  /// Inflates up to out.size() bytes into `out` and returns how many; fewer
  /// than asked only at the end of the data, 0 once it is all inflated.
  /// Throws CorruptData naming the path when the stream is corrupt or
  /// truncated.
  size_t Read(std::span<char> out);
  /// Compressed bytes consumed so far (those before it are no longer read).
  size_t consumed() const;

 private:
  struct State;
  explicit GzipInflater(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace ember
