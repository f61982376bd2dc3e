// A read-only memory map of a whole file. Buffers that point into it keep
// it alive through shared ownership, so columns loaded from an uncompressed
// .ember file are zero-copy views of the page cache.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace ember {

class MappedFile {
 public:
  /// Maps `path` read-only. Throws NotFound / IoError naming the path, and
  /// IoError for a directory. An empty file maps to size() == 0.
  static std::shared_ptr<const MappedFile> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const { return data_; }
  size_t size() const { return size_; }
  std::string_view text() const { return {reinterpret_cast<const char*>(data_), size_}; }
  const std::string& path() const { return path_; }

  /// Hints that [offset, offset+length) will be read soon, in order.
  void WillNeed(size_t offset, size_t length) const;
  /// Drops the given range from this process's resident set (the kernel can
  /// re-read it from the page cache); bounds the memory of one-pass readers.
  void Release(size_t offset, size_t length) const;

 private:
  MappedFile(std::string path, std::byte* data, size_t size) : path_(std::move(path)), data_(data), size_(size) {}
  std::string path_;
  std::byte* data_;
  size_t size_;
};

}  // namespace ember
