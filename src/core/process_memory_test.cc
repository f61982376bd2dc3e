// MapLargeBlocks: a freed large block leaves the resident set.
#include "core/process_memory.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

// AddressSanitizer brings its own allocator (freed blocks wait in its
// quarantine): glibc's behaviour is not what runs there.
#if defined(__SANITIZE_ADDRESS__)
#define EMBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EMBER_ASAN 1
#endif
#endif

namespace ember {
namespace {

/// Touches every page of p so that the writes cannot be optimised away.
void Touch(void* p, size_t bytes) {
  std::memset(p, 1, bytes);
  asm volatile("" : : "r"(p) : "memory");
}

TEST(ProcessMemoryTest, FreedLargeBlocksLeaveTheResidentSet) {
#if !defined(__GLIBC__) || defined(EMBER_ASAN)
  GTEST_SKIP() << "not glibc's allocator";
#endif
  ASSERT_TRUE(MapLargeBlocks());
  // Freeing a 24 MiB mapped block would raise glibc's default threshold to
  // 24 MiB, and the 12 MiB block below would then come from the heap and
  // stay resident after free.
  void* big = std::malloc(24 << 20);
  ASSERT_NE(big, nullptr);
  Touch(big, 24 << 20);
  std::free(big);
  constexpr size_t kBlock = 12 << 20;
  auto* block = static_cast<char*>(std::malloc(kBlock));
  ASSERT_NE(block, nullptr);
  Touch(block, kBlock);
  const size_t with_block = ResidentBytes();
  std::free(block);
  const size_t after_free = ResidentBytes();
  EXPECT_GE(with_block, after_free + kBlock * 3 / 4) << with_block << " -> " << after_free;
}

TEST(ProcessMemoryTest, ReleasingFreedMemoryShrinksTheHeap) {
#if !defined(__GLIBC__) || defined(EMBER_ASAN)
  GTEST_SKIP() << "not glibc's allocator";
#endif
  ASSERT_TRUE(MapLargeBlocks());
  // 1 MiB blocks come from the heap; a small block allocated after each
  // keeps it from merging with its neighbours or the heap's top, so
  // freeing them does not shrink the heap.
  constexpr size_t kBlocks = 16, kBlock = 1 << 20;
  std::vector<void*> blocks, pins;
  for (size_t i = 0; i < kBlocks; ++i) {
    blocks.push_back(std::malloc(kBlock));
    pins.push_back(std::malloc(64));
    ASSERT_NE(blocks.back(), nullptr);
    ASSERT_NE(pins.back(), nullptr);
    Touch(blocks.back(), kBlock);
    Touch(pins.back(), 64);
  }
  for (void* b : blocks) std::free(b);
  const size_t before = ResidentBytes();
  ReleaseFreedMemory();
  const size_t after = ResidentBytes();
  for (void* p : pins) std::free(p);
  EXPECT_GE(before, after + kBlocks * kBlock / 2) << before << " -> " << after;
}

}  // namespace
}  // namespace ember
