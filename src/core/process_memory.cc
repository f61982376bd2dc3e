#include "core/process_memory.h"

#include <fstream>
#include <string>
#include <string_view>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ember {

namespace {

/// The kB value of line `key` of /proc/self/status, in bytes (0 if absent).
size_t StatusBytes(std::string_view key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(key)) return std::stoull(line.substr(key.size())) * 1024;
  }
  return 0;
}

}  // namespace

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

size_t ResidentBytes() { return StatusBytes("VmRSS:"); }

size_t PeakResidentBytes() { return StatusBytes("VmHWM:"); }

}  // namespace ember
