// Large arrays read at random (a binned feature matrix) on 2 MiB pages.
//
// A tree learner reads the rows of a node scattered over a matrix of tens
// of MiB: with 4 KiB pages nearly every row costs a TLB miss, which the
// CPU's second-level TLB (2048 entries on Zen 3: 8 MiB) cannot hold off.
// Transparent huge pages map the same array with 512 times fewer entries.
#pragma once

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace ember {

/// Blocks of at least this many bytes are placed on huge pages.
inline constexpr size_t kHugePageBytes = size_t{2} << 20;

/// `bytes` aligned to kHugePageBytes, with the kernel asked (madvise) to
/// back it with transparent huge pages; the pages are mapped as they are
/// first written, as any allocation's. Throws std::bad_alloc. Release with
/// FreeHugePages.
void* AllocateHugePages(size_t bytes);
void FreeHugePages(void* block);

/// std::allocator, except that blocks of kHugePageBytes or more come from
/// AllocateHugePages, and that elements constructed without arguments are
/// default-initialised: resize() leaves a trivial element's memory
/// unwritten, for the threads that fill the array to map its pages in
/// parallel (value-initialising zeroes every page from the calling thread
/// first, and the others wait).
template <class T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding converts implicitly

  T* allocate(size_t n) {
    if (n * sizeof(T) < kHugePageBytes) return std::allocator<T>().allocate(n);
    return static_cast<T*>(AllocateHugePages(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePageBytes) return std::allocator<T>().deallocate(p, n);
    FreeHugePages(p);
  }
  template <class U>
  void construct(U* p) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

template <class T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace ember
