#include "ml/feature/ngram.h"

#include <gtest/gtest.h>

#include "ml/feature/text_test_util.h"
#include "ml/feature/tokens_column.h"

namespace ember {
namespace {

using namespace text_test;
using Docs = std::vector<std::vector<std::string>>;

DataFrame Words() {
  return DataFrame::Make({"words"}, {MakeTokensColumn({{"Hi", "I", "heard", "about", "Spark"}, {"Logistic"}, {}})});
}

Docs Grams(const Stage& s, const DataFrame& df) {
  return TokensOf(*dynamic_cast<const Transformer&>(s).Transform(df, Context::Default(1)).column("ngrams"));
}

TEST(NGramTest, BigramsByDefaultAndShortDocuments) {
  auto stage = Registry().Make("NGram", {{"inputCol", "words"}, {"outputCol", "ngrams"}});
  const Docs expected = {{"Hi I", "I heard", "heard about", "about Spark"}, {}, {}};
  EXPECT_EQ(Grams(*stage, Words()), expected);
  EXPECT_EQ(Grams(*SaveAndLoad(*stage), Words()), expected);
  const auto results = OnTwoThreads([&] { return Grams(*stage, Words()); });
  EXPECT_EQ(results[0], expected);
  EXPECT_EQ(results[1], expected);
  auto tri = Registry().Make("NGram", {{"inputCol", "words"}, {"outputCol", "ngrams"}, {"n", 3}});
  EXPECT_EQ(Grams(*tri, Words())[0], (std::vector<std::string>{"Hi I heard", "I heard about", "heard about Spark"}));
  auto uni = Registry().Make("NGram", {{"inputCol", "words"}, {"outputCol", "ngrams"}, {"n", 1}});
  EXPECT_EQ(Grams(*uni, Words())[1], (std::vector<std::string>{"Logistic"}));
}

TEST(NGramTest, ErrorsAndNulls) {
  EXPECT_THROW(Registry().Make("NGram", {{"inputCol", "words"}, {"outputCol", "ngrams"}, {"n", 0}}), InvalidArgument);
  auto stage = Registry().Make("NGram", {{"inputCol", "words"}, {"outputCol", "ngrams"}});
  const auto& t = dynamic_cast<const Transformer&>(*stage);
  EXPECT_EQ(ErrorOf<SchemaError>([&] { t.TransformSchema(Schema::Make({{"word", DataType::String(), {}}})); }),
            "NGram: inputCol column: no column 'words'; did you mean 'word'? (columns: word)");
  const DataFrame nulls = DataFrame::Make({"words"}, {MakeNullableStringColumn({std::nullopt, "a\x1f" "b"})});
  const DataFrame out = t.Transform(nulls, Context::Default(1));
  EXPECT_TRUE(out.column("ngrams")->IsNull(0));
  EXPECT_EQ(out.column("ngrams")->StringAt(1), "a b");
}

}  // namespace
}  // namespace ember
