#include "ml/feature/string_map.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ember {
namespace {

TEST(FlatStringMapTest, FindsEveryKeyAcrossGrowth) {
  FlatStringMap map;  // starts with 16 slots: 1000 keys make it grow several times
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "item" + std::to_string(i);
    EXPECT_EQ(map.FindOrInsert(key, FlatStringMap::HashOf(key), i * 3), i * 3);
  }
  ++map.FindOrInsert("item7", FlatStringMap::HashOf("item7"), -1);  // present: not re-inserted
  EXPECT_EQ(map.size(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    const int64_t* v = map.Find("item" + std::to_string(i));
    ASSERT_NE(v, nullptr) << i;
    EXPECT_EQ(*v, i == 7 ? 22 : i * 3);
  }
  EXPECT_EQ(map.Find("item1000"), nullptr);
  EXPECT_EQ(map.Find("item"), nullptr);
}

TEST(FlatStringMapTest, EmptyKeyAndInsertionOrder) {
  FlatStringMap map;
  map.FindOrInsert("b", FlatStringMap::HashOf("b"), 1);
  map.FindOrInsert("", FlatStringMap::HashOf(""), 2);
  map.FindOrInsert("a", FlatStringMap::HashOf("a"), 3);
  ASSERT_NE(map.Find(""), nullptr);
  EXPECT_EQ(*map.Find(""), 2);
  std::vector<std::string> keys;
  map.ForEach([&](std::string_view k, int64_t) { keys.emplace_back(k); });
  EXPECT_EQ(keys, (std::vector<std::string>{"b", "", "a"}));
}

}  // namespace
}  // namespace ember
