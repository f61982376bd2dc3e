// Inflating gzip (and zlib) compressed text in one piece, for readers that
// then parse the whole text in memory.
#pragma once

#include <string>
#include <string_view>

namespace ember {

/// True when `data` starts with the gzip magic bytes 1f 8b.
bool HasGzipMagic(std::string_view data);

/// The inflated bytes of `data` (gzip, concatenated gzip members, or zlib).
/// Throws CorruptData naming `path` when the stream is corrupt or truncated.
std::string InflateGzip(std::string_view data, const std::string& path);

}  // namespace ember
