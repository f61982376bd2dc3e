// HugePageVector: large blocks are aligned to 2 MiB and marked for
// transparent huge pages; small ones are ordinary allocations.
#include "core/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace ember {
namespace {

/// The system's transparent huge page mode ("always", "madvise" or
/// "never"; empty where the kernel has none).
std::string HugePageMode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t open = text.find('['), close = text.find(']');
  return open == std::string::npos || close == std::string::npos ? "" : text.substr(open + 1, close - open - 1);
}

/// The THPeligible field of the mapping holding `address` in
/// /proc/self/smaps: 1 where huge pages may back it; -1 if not found.
int HugePageEligible(const void* address) {
  const auto a = reinterpret_cast<uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long begin = 0, end = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &begin, &end) == 2 && line.find(':') > line.find(' ')) {
      inside = begin <= a && a < end;
    } else if (inside && line.starts_with("THPeligible:")) {
      return std::stoi(line.substr(12));
    }
  }
  return -1;
}

TEST(HugePagesTest, LargeBlocksAreAlignedAndMayUseHugePages) {
  HugePageVector<uint32_t> v(3 << 20);  // 12 MiB
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageBytes, 0u);
  v.back() = 7;
  EXPECT_EQ(v.back(), 7u);
  const std::string mode = HugePageMode();
  if (mode != "always" && mode != "madvise") GTEST_SKIP() << "transparent huge pages are off here";
  // With mode madvise, only the madvise call makes the block eligible.
  EXPECT_EQ(HugePageEligible(v.data()), 1);
}

TEST(HugePagesTest, SmallBlocksAndGrowthKeepTheirValues) {
  HugePageVector<int> v;
  for (int i = 0; i < 1'000'000; ++i) v.push_back(i);  // grows from small blocks to huge ones
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageBytes, 0u);
  for (int i = 0; i < 1'000'000; i += 99'999) EXPECT_EQ(v[static_cast<size_t>(i)], i);
  HugePageVector<int> small(10, 3);
  EXPECT_EQ(small[9], 3);
}

}  // namespace
}  // namespace ember
