#include "ml/feature/stop_words.h"

#include <gtest/gtest.h>

#include "ml/feature/text_test_util.h"
#include "ml/feature/tokens_column.h"

namespace ember {
namespace {

using namespace text_test;
using Docs = std::vector<std::vector<std::string>>;

DataFrame Raw() {
  // Spark's documentation example.
  return DataFrame::Make({"raw"}, {MakeTokensColumn({{"I", "saw", "the", "red", "balloon"},
                                                     {"Mary", "had", "a", "little", "lamb"}})});
}

TEST(StopWordsRemoverTest, SparkDocumentationExample) {
  auto stage = Registry().Make("StopWordsRemover", {{"inputCol", "raw"}, {"outputCol", "filtered"}});
  const auto& t = dynamic_cast<const Transformer&>(*stage);
  const DataFrame out = t.Transform(Raw(), Context::Default(1));
  const Docs expected = {{"saw", "red", "balloon"}, {"Mary", "little", "lamb"}};
  EXPECT_EQ(TokensOf(*out.column("filtered")), expected);
  // Spark's english.txt: 153 words, "i" first and "wouldn" last.
  EXPECT_EQ(EnglishStopWords().size(), 153u);
  EXPECT_EQ(EnglishStopWords().front(), "i");
  EXPECT_EQ(EnglishStopWords().back(), "wouldn");
  EXPECT_EQ(TokensOf(*std::dynamic_pointer_cast<const Transformer>(SaveAndLoad(t))->Transform(Raw(), Context::Default(1)).column("filtered")),
            expected);
  const auto results = OnTwoThreads([&] { return TokensOf(*t.Transform(Raw(), Context::Default(1)).column("filtered")); });
  EXPECT_EQ(results[0], expected);
  EXPECT_EQ(results[1], expected);
}

TEST(StopWordsRemoverTest, CaseSensitiveCustomListAndMultipleColumns) {
  auto stage = Registry().Make("StopWordsRemover", {{"inputCols", {"raw", "raw"}},
                                                    {"outputCols", {"a", "b"}},
                                                    {"stopWords", {"Mary", "the"}},
                                                    {"caseSensitive", true}});
  const DataFrame out = dynamic_cast<const Transformer&>(*stage).Transform(Raw(), Context::Default(1));
  const Docs expected = {{"I", "saw", "red", "balloon"}, {"had", "a", "little", "lamb"}};
  EXPECT_EQ(TokensOf(*out.column("a")), expected);
  EXPECT_EQ(TokensOf(*out.column("b")), expected);
  auto insensitive = Registry().Make("StopWordsRemover", {{"inputCol", "raw"}, {"outputCol", "f"}, {"stopWords", {"MARY"}}});
  EXPECT_EQ(TokensOf(*dynamic_cast<const Transformer&>(*insensitive).Transform(Raw(), Context::Default(1)).column("f"))[1],
            (std::vector<std::string>{"had", "a", "little", "lamb"}));
}

TEST(StopWordsRemoverTest, NullsAndSchemaErrors) {
  auto stage = Registry().Make("StopWordsRemover", {{"inputCol", "raw"}, {"outputCol", "f"}});
  const auto& t = dynamic_cast<const Transformer&>(*stage);
  const DataFrame nulls = DataFrame::Make({"raw"}, {MakeNullableStringColumn({std::nullopt, "the"})});
  const DataFrame out = t.Transform(nulls, Context::Default(1));
  EXPECT_TRUE(out.column("f")->IsNull(0));
  EXPECT_EQ(out.column("f")->StringAt(1), "");
  EXPECT_NE(ErrorOf<SchemaError>([&] { t.TransformSchema(Schema::Make({{"raw", DataType::Float32(), {}}})); })
                .find("must be a string column"),
            std::string::npos);
  EXPECT_NE(ErrorOf<SchemaError>([&] {
              t.TransformSchema(Schema::Make({{"raw", DataType::String(), {}}, {"f", DataType::String(), {}}}));
            }).find("already exists"),
            std::string::npos);
}

}  // namespace
}  // namespace ember
