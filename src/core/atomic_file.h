// Atomic file writes: data goes to a hidden temporary file beside the
// target, is fsynced, and only then renamed over the final name. A failed or
// abandoned write leaves nothing under the final name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/unique_fd.h"

namespace ember {

/// Buffered writer of one file. Not thread-safe. Destroying it without
/// Commit() removes the temporary file.
class AtomicFileWriter {
 public:
  /// Creates the temporary file beside `path`. Throws IoError / NotFound
  /// naming the path when the directory is missing or not writable.
  static AtomicFileWriter Open(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(AtomicFileWriter&&) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;

  void Write(const void* data, size_t size);
  void Write(std::string_view s) { Write(s.data(), s.size()); }
  /// Bytes written so far (the offset of the next byte).
  uint64_t offset() const { return offset_; }
  /// Pads with zero bytes up to the next multiple of `alignment`.
  void PadTo(size_t alignment);

  /// Flushes, fsyncs, renames onto the final path and fsyncs the directory.
  void Commit();
  const std::string& path() const { return path_; }

 private:
  AtomicFileWriter(std::string path, std::string temp_path, UniqueFd fd);
  void Flush();

  std::string path_;
  std::string temp_path_;
  UniqueFd fd_;
  std::vector<char> buffer_;
  uint64_t offset_ = 0;
  bool committed_ = false;
};

/// Writes `contents` to `path` atomically.
void WriteFileAtomically(const std::string& path, std::string_view contents);

/// Reads a whole (small) file. Throws NotFound / IoError naming the path.
std::string ReadFileToString(const std::string& path);

}  // namespace ember
