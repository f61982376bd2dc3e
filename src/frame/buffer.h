// Immutable byte buffers shared between columns. A buffer either owns
// 64-byte-aligned memory or views memory kept alive by an owner (a memory
// map, another buffer); slices are views, never copies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

namespace ember {

class Buffer;
using BufferPtr = std::shared_ptr<const Buffer>;

class Buffer {
 public:
  /// Uninitialised, 64-byte-aligned memory of `size` bytes, writable through
  /// mutable_data() until it is shared as a BufferPtr.
  static std::shared_ptr<Buffer> Allocate(size_t size);
  /// A view of [data, data+size) that keeps `owner` alive.
  static BufferPtr View(const std::byte* data, size_t size, std::shared_ptr<const void> owner);
  /// Copies a vector's elements into a new buffer.
  template <class T>
  static BufferPtr Copy(std::span<const T> values) {
    auto b = Allocate(values.size_bytes());
    if (!values.empty()) std::memcpy(b->mutable_data(), values.data(), values.size_bytes());
    return b;
  }
  template <class T>
  static BufferPtr Copy(const std::vector<T>& values) { return Copy(std::span<const T>(values)); }

  const std::byte* data() const { return data_; }
  std::byte* mutable_data() { return const_cast<std::byte*>(data_); }
  size_t size() const { return size_; }
  template <class T>
  std::span<const T> as() const { return {reinterpret_cast<const T*>(data_), size_ / sizeof(T)}; }
  template <class T>
  T* mutable_as() { return reinterpret_cast<T*>(mutable_data()); }

  /// A zero-copy view of [offset, offset+length) of `buffer`.
  static BufferPtr Slice(const BufferPtr& buffer, size_t offset, size_t length);

  Buffer(const std::byte* data, size_t size, std::shared_ptr<const void> owner)
      : data_(data), size_(size), owner_(std::move(owner)) {}

 private:
  const std::byte* data_;
  size_t size_;
  std::shared_ptr<const void> owner_;
};

}  // namespace ember
