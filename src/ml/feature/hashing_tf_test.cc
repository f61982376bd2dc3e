#include "ml/feature/hashing_tf.h"

#include <gtest/gtest.h>

#include "ml/feature/murmur3.h"
#include "ml/feature/text_test_util.h"
#include "ml/feature/tokens_column.h"

namespace ember {
namespace {

using namespace text_test;
using Entries = std::vector<std::vector<std::pair<int32_t, float>>>;

DataFrame Docs() {
  return DataFrame::Make({"words"}, {MakeTokensColumn({{"a", "b", "a", "spark"}, {}, {"tf"}})});
}

Entries Hash(const nlohmann::json& params) {
  auto stage = Registry().Make("HashingTF", params);
  return SparseEntries(*dynamic_cast<const Transformer&>(*stage).Transform(Docs(), Context::Default(1)).column("tf"));
}

TEST(HashingTFTest, CountsAtSparkIndices) {
  // Indices from tests/golden/text/murmur3.json (scikit-learn's murmurhash3_32, seed 42).
  std::map<std::string, int32_t> index;
  for (const auto& row : Golden("murmur3.json")) index[row["term"]] = row["index_262144"];
  Entries expected = {{{index["a"], 2.0f}, {index["b"], 1.0f}, {index["spark"], 1.0f}}, {}, {{index["tf"], 1.0f}}};
  std::sort(expected[0].begin(), expected[0].end());
  EXPECT_EQ(Hash({{"inputCol", "words"}, {"outputCol", "tf"}}), expected);
  for (auto& [i, v] : expected[0]) v = 1.0f;
  EXPECT_EQ(Hash({{"inputCol", "words"}, {"outputCol", "tf"}, {"binary", true}}), expected);
}

TEST(HashingTFTest, SmallSpaceCollides) {
  // With one feature every token lands at 0.
  EXPECT_EQ(Hash({{"inputCol", "words"}, {"outputCol", "tf"}, {"numFeatures", 1}}),
            (Entries{{{0, 4.0f}}, {}, {{0, 1.0f}}}));
}

TEST(HashingTFTest, NullsSchemaSaveLoadThreads) {
  auto stage = Registry().Make("HashingTF", {{"inputCol", "words"}, {"outputCol", "tf"}, {"numFeatures", 32}});
  const auto& t = dynamic_cast<const Transformer&>(*stage);
  const DataFrame nulls = DataFrame::Make({"words"}, {MakeNullableStringColumn({std::nullopt, "x"})});
  EXPECT_TRUE(t.Transform(nulls, Context::Default(1)).column("tf")->IsNull(0));
  EXPECT_EQ(ErrorOf<SchemaError>([&] { t.TransformSchema(Schema::Make({{"words", DataType::Int32(), {}}})); }),
            "HashingTF: inputCol column 'words' must be a string column of '\\x1f'-joined tokens, got int32");
  const auto expected = SparseEntries(*t.Transform(Docs(), Context::Default(1)).column("tf"));
  auto loaded = std::dynamic_pointer_cast<const Transformer>(SaveAndLoad(t));
  EXPECT_EQ(SparseEntries(*loaded->Transform(Docs(), Context::Default(1)).column("tf")), expected);
  const auto results = OnTwoThreads([&] { return SparseEntries(*t.Transform(Docs(), Context::Default(1)).column("tf")); });
  EXPECT_EQ(results[0], expected);
  EXPECT_EQ(results[1], expected);
}

}  // namespace
}  // namespace ember
