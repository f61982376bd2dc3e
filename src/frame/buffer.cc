#include "frame/buffer.h"

#include <cstdlib>
#include <new>

#include "core/error.h"

namespace ember {

std::shared_ptr<Buffer> Buffer::Allocate(size_t size) {
  constexpr size_t kAlign = 64;
  const size_t rounded = (size + kAlign - 1) / kAlign * kAlign;
  void* p = std::aligned_alloc(kAlign, rounded == 0 ? kAlign : rounded);
  if (p == nullptr) throw std::bad_alloc();
  std::shared_ptr<void> owner(p, [](void* q) { std::free(q); });
  return std::make_shared<Buffer>(static_cast<const std::byte*>(p), size, std::move(owner));
}

BufferPtr Buffer::View(const std::byte* data, size_t size, std::shared_ptr<const void> owner) {
  return std::make_shared<const Buffer>(data, size, std::move(owner));
}

BufferPtr Buffer::Slice(const BufferPtr& buffer, size_t offset, size_t length) {
  EMBER_CHECK(offset + length <= buffer->size(), "slice [{}, +{}) outside buffer of {} bytes", offset, length,
              buffer->size());
  return View(buffer->data() + offset, length, buffer);
}

}  // namespace ember
