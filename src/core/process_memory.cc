#include "core/process_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ember {

bool MapLargeBlocks(size_t threshold) {
#if defined(__GLIBC__)
  // Setting M_MMAP_THRESHOLD also turns glibc's dynamic adjustment off.
  return mallopt(M_MMAP_THRESHOLD, static_cast<int>(threshold)) == 1;
#else
  (void)threshold;
  return false;
#endif
}

void ReleaseFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace ember
