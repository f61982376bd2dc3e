#include "core/huge_pages.h"

#include <cstdlib>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ember {

void* AllocateHugePages(size_t bytes) {
  const size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  void* block = std::aligned_alloc(kHugePageBytes, rounded);
  if (block == nullptr) throw std::bad_alloc();
#if defined(MADV_HUGEPAGE)
  // Advice only: where huge pages are off, the block keeps 4 KiB pages.
  madvise(block, rounded, MADV_HUGEPAGE);
#endif
  return block;
}

void FreeHugePages(void* block) { std::free(block); }

}  // namespace ember
