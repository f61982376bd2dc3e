#include "ml/feature/feature_hasher.h"

#include <gtest/gtest.h>

#include "ml/feature/murmur3.h"
#include "ml/feature/text_test_util.h"

namespace ember {
namespace {

using namespace text_test;

TEST(Murmur3Test, PublishedReferenceVectors) {
  // MurmurHash3_x86_32 verification values published with the reference
  // implementation's ports (and reproduced by scikit-learn's murmurhash3_32).
  struct Case {
    std::string_view data;
    uint32_t seed;
    uint32_t hash;
  };
  using namespace std::string_view_literals;
  const Case cases[] = {
      {""sv, 0, 0},
      {""sv, 1, 0x514E28B7},
      {""sv, 0xffffffff, 0x81F16F39},
      {"\0\0\0\0"sv, 0, 0x2362F9DE},
      {"\xff\xff\xff\xff"sv, 0, 0x76293B50},
      {"\x21\x43\x65\x87"sv, 0, 0xF55B516B},
      {"\x21\x43\x65\x87"sv, 0x5082EDEE, 0x2362F9DE},
      {"\x21\x43\x65"sv, 0, 0x7E4A8634},
      {"\x21\x43"sv, 0, 0xA0F7B07A},
      {"\x21"sv, 0, 0x72661CF4},
      {"\0\0\0"sv, 0, 0x85F0B427},
      {"\0\0"sv, 0, 0x30F4C306},
      {"\0"sv, 0, 0x514E28B7},
      {"aaaa"sv, 0x9747b28c, 0x5A97808A},
      {"aaa"sv, 0x9747b28c, 0x283E0130},
      {"aa"sv, 0x9747b28c, 0x5D211726},
      {"a"sv, 0x9747b28c, 0x7FA09EA6},
      {"abcd"sv, 0x9747b28c, 0xF0478627},
      {"abc"sv, 0x9747b28c, 0xC84A62DD},
      {"ab"sv, 0x9747b28c, 0x74875592},
      {"Hello, world!"sv, 0x9747b28c, 0x24884CBA},
      {"The quick brown fox jumps over the lazy dog"sv, 0x9747b28c, 0x2FA826CD},
  };
  for (const Case& c : cases) EXPECT_EQ(Murmur3_32(c.data, c.seed), c.hash) << c.data.size() << " bytes";
}

TEST(Murmur3Test, SparkTermIndicesMatchGolden) {
  for (const auto& row : Golden("murmur3.json")) {
    const std::string term = row["term"];
    EXPECT_EQ(Murmur3_32(term, kSparkHashSeed), row["hash_seed42"].get<uint32_t>()) << term;
    EXPECT_EQ(SparkTermIndex(term, 262144), row["index_262144"].get<int32_t>()) << term;
    EXPECT_EQ(SparkTermIndex(term, 1000), row["index_1000"].get<int32_t>()) << term;  // negative hashes wrap as Java
  }
}

DataFrame HasherInput() {
  return DataFrame::Make({"real", "flag", "word", "cat", "dbl"},
                         {MakeNullableColumn<double>({2.5, std::nullopt, -1.0}),
                          MakeNullableColumn<uint8_t>({1, 0, std::nullopt}),
                          MakeNullableStringColumn({"foo", "bar", std::nullopt}), MakeColumn<int64_t>({3, 7, 3}),
                          MakeColumn<double>({1.0, 2.5, 1e10})});
}

std::unique_ptr<Stage> Hasher(int64_t n) {
  return Registry().Make("FeatureHasher", {{"inputCols", {"real", "flag", "word", "cat", "dbl"}},
                                           {"outputCol", "features"},
                                           {"numFeatures", n},
                                           {"categoricalCols", {"cat", "dbl"}}});
}

TEST(FeatureHasherTest, MatchesSparkRuleFromGolden) {
  const auto golden = Golden("feature_hasher.json");
  for (const auto& c : golden["cases"]) {
    auto stage = Hasher(c["numFeatures"]);
    const DataFrame out = dynamic_cast<const Transformer&>(*stage).Transform(HasherInput(), Context::Default(1));
    EXPECT_EQ(out.column("features")->type(), DataType::SparseVector(c["numFeatures"]));
    const auto entries = SparseEntries(*out.column("features"));
    ASSERT_EQ(entries.size(), c["rows"].size());
    for (size_t i = 0; i < entries.size(); ++i) {
      std::vector<std::pair<int32_t, float>> expected;
      for (const auto& e : c["rows"][i]) expected.emplace_back(e[0].get<int32_t>(), e[1].get<float>());
      EXPECT_EQ(entries[i], expected) << "row " << i;
    }
  }
}

TEST(FeatureHasherTest, CollisionsAreSummed) {
  auto stage = Hasher(1);
  const DataFrame out = dynamic_cast<const Transformer&>(*stage).Transform(HasherInput(), Context::Default(1));
  // Everything lands at index 0: row 0 = 2.5 + four categorical 1s; row 1
  // has a null real; row 2 = -1 + cat + dbl.
  using E = std::vector<std::pair<int32_t, float>>;
  EXPECT_EQ(SparseEntries(*out.column("features")), (std::vector<E>{{{0, 6.5f}}, {{0, 4.0f}}, {{0, 1.0f}}}));
}

TEST(FeatureHasherTest, JavaNumberText) {
  EXPECT_EQ(JavaNumberString(1.0, false), "1.0");
  EXPECT_EQ(JavaNumberString(2.5, false), "2.5");
  EXPECT_EQ(JavaNumberString(-0.001, false), "-0.001");
  EXPECT_EQ(JavaNumberString(1234567.0, false), "1234567.0");
  EXPECT_EQ(JavaNumberString(1e7, false), "1.0E7");
  EXPECT_EQ(JavaNumberString(1.5e-4, false), "1.5E-4");
  EXPECT_EQ(JavaNumberString(0.1, false), "0.1");
  EXPECT_EQ(JavaNumberString(0.1f, true), "0.1");
  EXPECT_EQ(JavaNumberString(100.0, false), "100.0");
  EXPECT_EQ(JavaNumberString(0.0, false), "0.0");
}

TEST(FeatureHasherTest, SchemaErrors) {
  const Schema schema = HasherInput().schema();
  auto check = [&](const nlohmann::json& p) {
    return ErrorOf<SchemaError>([&] { dynamic_cast<const Transformer&>(*Registry().Make("FeatureHasher", p)).TransformSchema(schema); });
  };
  EXPECT_EQ(check({{"inputCols", {"reel"}}, {"outputCol", "f"}}),
            "FeatureHasher: inputCols column: no column 'reel'; did you mean 'real'? (columns: real, flag, word, cat, dbl)");
  EXPECT_EQ(check({{"inputCols", {"real"}}, {"outputCol", "word"}}),
            "FeatureHasher: output column 'word' (outputCol) already exists; choose another name");
  EXPECT_EQ(check({{"inputCols", {"real"}}, {"outputCol", "f"}, {"categoricalCols", {"cat"}}}),
            "FeatureHasher: categoricalCols column 'cat' is not among inputCols");
  const Schema vec = Schema::Make({{"v", DataType::DenseVector(2), {}}});
  EXPECT_EQ(ErrorOf<SchemaError>([&] {
              dynamic_cast<const Transformer&>(*Registry().Make("FeatureHasher", {{"inputCols", {"v"}}, {"outputCol", "f"}}))
                  .TransformSchema(vec);
            }),
            "FeatureHasher: inputCols column 'v' must be numeric, bool or string, got vector[2]");
}

TEST(FeatureHasherTest, SaveLoadAndTwoThreads) {
  auto stage = Hasher(64);
  const auto& t = dynamic_cast<const Transformer&>(*stage);
  const auto expected = SparseEntries(*t.Transform(HasherInput(), Context::Default(1)).column("features"));
  auto loaded = std::dynamic_pointer_cast<const Transformer>(SaveAndLoad(*stage));
  EXPECT_EQ(SparseEntries(*loaded->Transform(HasherInput(), Context::Default(1)).column("features")), expected);
  const auto results =
      OnTwoThreads([&] { return SparseEntries(*t.Transform(HasherInput(), Context::Default(2)).column("features")); });
  EXPECT_EQ(results[0], expected);
  EXPECT_EQ(results[1], expected);
}

}  // namespace
}  // namespace ember
