#include "ml/feature/tokenizers.h"

#include <gtest/gtest.h>

#include "ml/feature/column_blocks.h"
#include "ml/feature/text_test_util.h"
#include "ml/feature/tokens_column.h"

namespace ember {
namespace {

using namespace text_test;
using Docs = std::vector<std::vector<std::string>>;

Docs Tokens(const Stage& stage, const DataFrame& df, int threads = 1) {
  return TokensOf(*dynamic_cast<const Transformer&>(stage).Transform(df, Context::Default(threads)).column("tokens"));
}

DataFrame Text(const std::vector<std::optional<std::string>>& rows) {
  return DataFrame::Make({"text"}, {MakeNullableStringColumn(rows)});
}

TEST(TokensColumnTest, SplitJoinAndEmptyTokens) {
  EXPECT_EQ(SplitTokens(""), std::vector<std::string>{});
  EXPECT_EQ(SplitTokens("a"), std::vector<std::string>{"a"});
  EXPECT_EQ(SplitTokens("a\x1f\x1f" "b"), (std::vector<std::string>{"a", "", "b"}));
  const std::vector<std::string> tokens = {"hello", "world"};
  EXPECT_EQ(JoinTokens(tokens), "hello\x1fworld");
  EXPECT_EQ(SplitTokens(JoinTokens(tokens)), tokens);
}

TEST(TokenizerTest, LowercasesAndSplitsOnWhitespace) {
  auto stage = Registry().Make("Tokenizer", {{"inputCol", "text"}, {"outputCol", "tokens"}});
  const auto df = Text({"Hi I heard about Spark", "  Logistic\tregression\n models ", "", std::nullopt, "ÉTÉ x"});
  const DataFrame out = dynamic_cast<const Transformer&>(*stage).Transform(df, Context::Default(1));
  EXPECT_EQ(TokensOf(*out.column("tokens")),
            (Docs{{"hi", "i", "heard", "about", "spark"}, {"logistic", "regression", "models"}, {}, {}, {"ÉtÉ", "x"}}));
  EXPECT_TRUE(out.column("tokens")->IsNull(3));
  EXPECT_FALSE(out.column("tokens")->IsNull(2));
}

TEST(RegexTokenizerTest, GapsAndTokenPatterns) {
  const auto df = Text({"Hi I heard about Spark", "Logistic,regression,models", ",a,,bb,", std::nullopt});
  auto gaps = Registry().Make("RegexTokenizer", {{"inputCol", "text"}, {"outputCol", "tokens"}, {"pattern", "\\W"}});
  EXPECT_EQ(Tokens(*gaps, df), (Docs{{"hi", "i", "heard", "about", "spark"}, {"logistic", "regression", "models"},
                                     {"a", "bb"}, {}}));
  auto words = Registry().Make("RegexTokenizer", {{"inputCol", "text"},
                                                  {"outputCol", "tokens"},
                                                  {"pattern", "\\w+"},
                                                  {"gaps", false},
                                                  {"minTokenLength", 2},
                                                  {"toLowercase", false}});
  EXPECT_EQ(Tokens(*words, df), (Docs{{"Hi", "heard", "about", "Spark"}, {"Logistic", "regression", "models"}, {"bb"}, {}}));
  // Default pattern \s+ with gaps.
  auto def = Registry().Make("RegexTokenizer", {{"inputCol", "text"}, {"outputCol", "tokens"}});
  EXPECT_EQ(Tokens(*def, Text({" A  b\tC "})), (Docs{{"a", "b", "c"}}));
}

TEST(RegexTokenizerTest, BadPatternAndSchemaErrors) {
  EXPECT_NE(ErrorOf<InvalidArgument>([] {
              Registry().Make("RegexTokenizer", {{"inputCol", "text"}, {"outputCol", "t"}, {"pattern", "(a"}});
            }).find("RegexTokenizer: pattern '(a' is not a valid regular expression"),
            std::string::npos);
  auto stage = Registry().Make("Tokenizer", {{"inputCol", "text"}, {"outputCol", "tokens"}});
  const auto& t = dynamic_cast<const Transformer&>(*stage);
  EXPECT_EQ(ErrorOf<SchemaError>([&] { t.TransformSchema(Schema::Make({{"text", DataType::Float64(), {}}})); }),
            "Tokenizer: inputCol column 'text' must be a string column, got float64");
  EXPECT_EQ(ErrorOf<SchemaError>([&] { t.TransformSchema(Schema::Make({{"txt", DataType::String(), {}}})); }),
            "Tokenizer: inputCol column: no column 'text'; did you mean 'txt'? (columns: txt)");
  EXPECT_NE(ErrorOf<SchemaError>([&] {
              t.TransformSchema(Schema::Make({{"text", DataType::String(), {}}, {"tokens", DataType::String(), {}}}));
            }).find("already exists"),
            std::string::npos);
}

TEST(TokenizerTest, SaveLoadThreadsAndBlocks) {
  std::vector<std::optional<std::string>> rows;
  for (size_t i = 0; i < kFeatureBlockRows + 10; ++i) rows.push_back(i % 7 == 0 ? std::nullopt : std::optional("A b " + std::to_string(i)));
  const auto df = Text(rows);
  for (const char* name : {"Tokenizer", "RegexTokenizer"}) {
    auto stage = Registry().Make(name, {{"inputCol", "text"}, {"outputCol", "tokens"}});
    const Docs expected = Tokens(*stage, df, 1);
    EXPECT_EQ(expected[1], (std::vector<std::string>{"a", "b", "1"}));
    EXPECT_EQ(Tokens(*stage, df, 3), expected);
    EXPECT_EQ(Tokens(*SaveAndLoad(*stage), df, 1), expected);
    const DataFrame head = df.Head(100);
    const auto results = OnTwoThreads([&] { return Tokens(*stage, head, 1); });
    EXPECT_EQ(results[0], Tokens(*stage, head, 1));
    EXPECT_EQ(results[1], results[0]);
  }
}

}  // namespace
}  // namespace ember
