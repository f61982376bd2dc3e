#include "core/strings.h"

#include <gtest/gtest.h>

namespace ember {
namespace {

TEST(StringsTest, EditDistanceByHand) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("maxDept", "maxDepth"), 1u);
}

TEST(StringsTest, DidYouMeanSuggestsOnlyCloseNames) {
  const std::vector<std::string> names = {"maxDepth", "maxBins", "stepSize"};
  EXPECT_EQ(DidYouMean("maxDept", names), "; did you mean 'maxDepth'?");
  EXPECT_EQ(DidYouMean("completelyDifferent", names), "");
}

TEST(StringsTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain ascii text, long enough for the fast path"));
  EXPECT_TRUE(IsValidUtf8("Llu\xC3\xADs Mu\xC3\xB1oz \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_EQ(FirstInvalidUtf8("abc\xFF"), 3u);
  EXPECT_EQ(FirstInvalidUtf8("ab\xC3"), 2u);           // truncated sequence
  EXPECT_EQ(FirstInvalidUtf8("\xC0\xAF"), 0u);         // overlong '/'
  EXPECT_EQ(FirstInvalidUtf8("x\xED\xA0\x80"), 1u);    // UTF-16 surrogate
}

}  // namespace
}  // namespace ember
