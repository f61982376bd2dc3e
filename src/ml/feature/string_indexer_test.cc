#include "ml/feature/string_indexer.h"

#include <gtest/gtest.h>

#include "ml/feature/feature_test_util.h"

namespace ember {
namespace {

using testing::Doubles;
using testing::ErrorOf;
using testing::MakeStage;

DataFrame Letters() {
  return DataFrame::Make({"s"}, {MakeNullableStringColumn({"b", "a", "c", "a", "b", std::nullopt, "d"})});
}

std::shared_ptr<const StringIndexerModel> FitIndexer(const nlohmann::json& params, const DataFrame& df) {
  auto model = MakeStage<StringIndexer>("StringIndexer", params)->Fit(df, Context::Default(1));
  return std::dynamic_pointer_cast<const StringIndexerModel>(model);
}

TEST(StringIndexerTest, FrequencyOrderBreaksTiesAlphabetically) {
  // Counts: a 2, b 2, c 1, d 1 (the null is not counted).
  auto model = FitIndexer({{"inputCol", "s"}, {"outputCol", "i"}, {"handleInvalid", "keep"}}, Letters());
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->labels()[0], (std::vector<std::string>{"a", "b", "c", "d"}));
  const DataFrame out = model->Transform(Letters(), Context::Default(1));
  EXPECT_EQ(Doubles(*out.column("i")), (std::vector<double>{1, 0, 2, 0, 1, 4, 3}));
  EXPECT_EQ(out.schema().field(1).metadata.at("ml_attr.labels"), R"(["a","b","c","d","__unknown"])");
  EXPECT_EQ(out.schema().field(1).type, DataType::Float64());
}

TEST(StringIndexerTest, FitTransformGivesTheModelsOwnOutput) {
  // Hand-checked on Letters(): a 2, b 2, c 1, d 1 -> labels a b c d.
  auto est =
      MakeStage<StringIndexer>("StringIndexer", {{"inputCol", "s"}, {"outputCol", "i"}, {"handleInvalid", "keep"}});
  const FitOutput small = est->FitTransform(Letters(), Context::Default(1));
  EXPECT_EQ(Doubles(*small.output.column("i")), (std::vector<double>{1, 0, 2, 0, 1, 4, 3}));
  EXPECT_EQ(small.output.schema().field(1).metadata.at("ml_attr.labels"), R"(["a","b","c","d","__unknown"])");
  EXPECT_EQ(std::dynamic_pointer_cast<const StringIndexerModel>(small.model)->labels()[0],
            (std::vector<std::string>{"a", "b", "c", "d"}));
  auto skip =
      MakeStage<StringIndexer>("StringIndexer", {{"inputCol", "s"}, {"outputCol", "i"}, {"handleInvalid", "skip"}});
  EXPECT_EQ(Doubles(*skip->FitTransform(Letters(), Context::Default(1)).output.column("i")),
            (std::vector<double>{1, 0, 2, 0, 1, 3}));
  auto error = MakeStage<StringIndexer>("StringIndexer", {{"inputCol", "s"}, {"outputCol", "i"}});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { error->FitTransform(Letters(), Context::Default(1)); }),
            "StringIndexerModel: column 's' has a null at row 5; set handleInvalid to 'skip' to drop such rows "
            "or 'keep' to index them as 4");

  // Over two row blocks (keys first seen in either block, nulls,
  // a numeric column), each policy and thread count: the same frame as
  // Fit then Transform.
  const size_t n = 20000;  // two row blocks
  std::vector<std::optional<std::string>> text(n);
  std::vector<int32_t> number(n);
  for (size_t i = 0; i < n; ++i) {
    if (i % 1013 != 7) text[i] = "k" + std::to_string((i * i) % (3 + i / 9000));
    number[i] = static_cast<int32_t>(i % 17) - 5;
  }
  const DataFrame big = DataFrame::Make({"t", "v"}, {MakeNullableStringColumn(text), MakeColumn(number)});
  for (const char* policy : {"keep", "skip"}) {
    auto stage = MakeStage<StringIndexer>(
        "StringIndexer", {{"inputCols", {"t", "v"}}, {"outputCols", {"ti", "vi"}}, {"handleInvalid", policy}});
    const std::string expected =
        testing::FrameText(stage->Fit(big, Context::Default(1))->Transform(big, Context::Default(1)));
    for (int threads : {1, 2}) {
      EXPECT_EQ(testing::FrameText(stage->FitTransform(big, Context::Default(threads)).output), expected)
          << policy << " " << threads;
    }
  }
}

TEST(StringIndexerTest, EveryStringOrderType) {
  const DataFrame df = DataFrame::Make({"s"}, {MakeStringColumn({"x", "y", "y", "z", "z", "w"})});
  auto labels = [&](const char* order) {
    return FitIndexer({{"inputCol", "s"}, {"outputCol", "i"}, {"stringOrderType", order}}, df)->labels()[0];
  };
  EXPECT_EQ(labels("frequencyDesc"), (std::vector<std::string>{"y", "z", "w", "x"}));
  EXPECT_EQ(labels("frequencyAsc"), (std::vector<std::string>{"w", "x", "y", "z"}));
  EXPECT_EQ(labels("alphabetDesc"), (std::vector<std::string>{"z", "y", "x", "w"}));
  EXPECT_EQ(labels("alphabetAsc"), (std::vector<std::string>{"w", "x", "y", "z"}));
  EXPECT_THROW(MakeStage<StringIndexer>("StringIndexer", {{"stringOrderType", "random"}}), InvalidArgument);
}

TEST(StringIndexerTest, HandleInvalidBranches) {
  const DataFrame train = DataFrame::Make({"s"}, {MakeStringColumn({"a", "b", "a"})});
  const DataFrame test = DataFrame::Make({"s"}, {MakeNullableStringColumn({"b", "zz", std::nullopt, "a"})});
  auto error = FitIndexer({{"inputCol", "s"}, {"outputCol", "i"}}, train);
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { error->Transform(test, Context::Default(1)); }),
            "StringIndexerModel: column 's' has unseen label 'zz' at row 1; set handleInvalid to 'skip' to drop "
            "such rows or 'keep' to index them as 2");
  const DataFrame only_null = DataFrame::Make({"s"}, {MakeNullableStringColumn({std::nullopt})});
  EXPECT_NE(ErrorOf<InvalidArgument>([&] { error->Transform(only_null, Context::Default(1)); }).find("a null at row 0"),
            std::string::npos);
  auto skip = FitIndexer({{"inputCol", "s"}, {"outputCol", "i"}, {"handleInvalid", "skip"}}, train);
  const DataFrame skipped = skip->Transform(test, Context::Default(1));
  EXPECT_EQ(Doubles(*skipped.column("i")), (std::vector<double>{1, 0}));
  EXPECT_EQ(testing::ColumnText(*skipped.column("s")), "'b';'a';");
  EXPECT_EQ(skipped.schema().field(1).metadata.at("ml_attr.labels"), R"(["a","b"])");
  auto keep = FitIndexer({{"inputCol", "s"}, {"outputCol", "i"}, {"handleInvalid", "keep"}}, train);
  EXPECT_EQ(Doubles(*keep->Transform(test, Context::Default(1)).column("i")), (std::vector<double>{1, 2, 2, 0}));
}

TEST(StringIndexerTest, MultipleColumnsAndNumericInputs) {
  const DataFrame df = DataFrame::Make(
      {"n", "d", "b"},
      {MakeColumn<int32_t>({3, 1, 3}), MakeColumn<double>({1.0, 2.5, 2.5}), MakeBoolColumn({true, false, false})});
  auto model = FitIndexer({{"inputCols", {"n", "d", "b"}}, {"outputCols", {"ni", "di", "bi"}}}, df);
  EXPECT_EQ(model->labels()[0], (std::vector<std::string>{"3", "1"}));
  EXPECT_EQ(model->labels()[1], (std::vector<std::string>{"2.5", "1.0"}));
  EXPECT_EQ(model->labels()[2], (std::vector<std::string>{"false", "true"}));
  const DataFrame out = model->Transform(df, Context::Default(1));
  EXPECT_EQ(Doubles(*out.column("ni")), (std::vector<double>{0, 1, 0}));
  EXPECT_EQ(Doubles(*out.column("di")), (std::vector<double>{1, 0, 0}));
  EXPECT_EQ(Doubles(*out.column("bi")), (std::vector<double>{1, 0, 0}));
  testing::ExpectRoundTripIdentical(*model, df);
  testing::ExpectSameFromTwoThreads(*model, df);
}

TEST(StringIndexerTest, SaveLoadAndThreadsOnALargeFrame) {
  std::vector<std::string> values;
  for (int i = 0; i < 20000; ++i) values.push_back(fmt::format("v{}", (i * 7919) % 113));
  const DataFrame df = DataFrame::Make({"s"}, {MakeStringColumn(values)});
  auto model = FitIndexer({{"inputCol", "s"}, {"outputCol", "i"}}, df);
  auto parallel =
      MakeStage<StringIndexer>("StringIndexer", {{"inputCol", "s"}, {"outputCol", "i"}})->Fit(df, Context::Default(2));
  EXPECT_EQ(std::dynamic_pointer_cast<const StringIndexerModel>(parallel)->labels(), model->labels());
  testing::ExpectRoundTripIdentical(*model, df);
  testing::ExpectSameFromTwoThreads(*model, df);
}

TEST(StringIndexerTest, SchemaErrors) {
  auto indexer = MakeStage<StringIndexer>("StringIndexer", {{"inputCol", "nope"}, {"outputCol", "i"}});
  EXPECT_NE(ErrorOf<SchemaError>([&] { indexer->Fit(Letters(), Context::Default(1)); }).find("StringIndexer: inputCol"),
            std::string::npos);
  const DataFrame vec = DataFrame::Make({"v"}, {MakeDenseVectorColumn(1, 1, {1})});
  auto on_vec = MakeStage<StringIndexer>("StringIndexer", {{"inputCol", "v"}, {"outputCol", "i"}});
  EXPECT_EQ(ErrorOf<SchemaError>([&] { on_vec->TransformSchema(vec.schema()); }),
            "StringIndexer: inputCol column 'v' must be a string or numeric column, got vector[1]");
  auto clash = MakeStage<StringIndexer>("StringIndexer", {{"inputCol", "s"}, {"outputCol", "s"}});
  EXPECT_THROW(clash->TransformSchema(Letters().schema()), SchemaError);
  auto both = MakeStage<StringIndexer>("StringIndexer", {{"inputCol", "s"}, {"inputCols", {"s"}}});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { both->TransformSchema(Letters().schema()); }),
            "StringIndexer: set only one of inputCol and inputCols");
  auto model = FitIndexer({{"inputCol", "s"}, {"outputCol", "i"}}, Letters());
  EXPECT_THROW(model->Transform(vec, Context::Default(1)), SchemaError);
}

TEST(IndexToStringTest, ReadsLabelsFromMetadataOrParam) {
  auto model = FitIndexer({{"inputCol", "s"}, {"outputCol", "i"}, {"handleInvalid", "keep"}}, Letters());
  const DataFrame indexed = model->Transform(Letters(), Context::Default(1));
  auto back = MakeStage<IndexToString>("IndexToString", {{"inputCol", "i"}, {"outputCol", "s2"}});
  const DataFrame out = back->Transform(indexed, Context::Default(1));
  EXPECT_EQ(testing::ColumnText(*out.column("s2")), "'b';'a';'c';'a';'b';'__unknown';'d';");
  testing::ExpectRoundTripIdentical(*back, indexed);
  testing::ExpectSameFromTwoThreads(*back, indexed);

  const DataFrame plain = DataFrame::Make({"i"}, {MakeNullableColumn<double>({1.7, std::nullopt, 0})});
  auto with_labels =
      MakeStage<IndexToString>("IndexToString", {{"inputCol", "i"}, {"outputCol", "o"}, {"labels", {"x", "y"}}});
  EXPECT_EQ(testing::ColumnText(*with_labels->Transform(plain, Context::Default(1)).column("o")), "'y';null;'x';");
  const DataFrame bad = DataFrame::Make({"i"}, {MakeColumn<double>({0, 2})});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { with_labels->Transform(bad, Context::Default(1)); }),
            "IndexToString: column 'i' has index 2 at row 1, outside the 2 labels");
}

TEST(IndexToStringTest, SchemaErrors) {
  const DataFrame plain = DataFrame::Make({"i", "s"}, {MakeColumn<double>({0}), MakeStringColumn({"a"})});
  auto no_labels = MakeStage<IndexToString>("IndexToString", {{"inputCol", "i"}, {"outputCol", "o"}});
  EXPECT_NE(ErrorOf<SchemaError>([&] { no_labels->TransformSchema(plain.schema()); }).find("set the labels param"),
            std::string::npos);
  auto on_text = MakeStage<IndexToString>("IndexToString", {{"inputCol", "s"}, {"outputCol", "o"}, {"labels", {"a"}}});
  EXPECT_THROW(on_text->TransformSchema(plain.schema()), SchemaError);
  auto missing = MakeStage<IndexToString>("IndexToString", {{"inputCol", "q"}, {"outputCol", "o"}, {"labels", {"a"}}});
  EXPECT_THROW(missing->TransformSchema(plain.schema()), SchemaError);
  auto clash = MakeStage<IndexToString>("IndexToString", {{"inputCol", "i"}, {"outputCol", "s"}, {"labels", {"a"}}});
  EXPECT_THROW(clash->TransformSchema(plain.schema()), SchemaError);
}

}  // namespace
}  // namespace ember

namespace ember {
namespace {

// Label orders against pandas value_counts (frequencyDesc, ties alphabetical)
// and sklearn's OrdinalEncoder (alphabetAsc codes) on real categorical
// columns, tests/golden/feature/categorical.json.
TEST(StringIndexerTest, MatchesPandasAndSklearnOnDatasets) {
  const nlohmann::json golden = testing::LoadGolden("categorical.json");
  for (const char* key : {"churn", "credit"}) {
    const auto& g = golden.at(key);
    const auto cols = g.at("columns").get<std::vector<std::string>>();
    std::vector<ColumnPtr> columns;
    std::vector<std::string> outputs;
    for (const std::string& c : cols) {
      columns.push_back(MakeStringColumn(g.at("strings").at(c).get<std::vector<std::string>>()));
      outputs.push_back(c + "_idx");
    }
    const DataFrame df = DataFrame::Make(cols, columns);
    auto freq = FitIndexer({{"inputCols", cols}, {"outputCols", outputs}}, df);
    auto alpha = FitIndexer({{"inputCols", cols}, {"outputCols", outputs}, {"stringOrderType", "alphabetAsc"}}, df);
    const DataFrame coded = alpha->Transform(df, Context::Default(2));
    for (size_t k = 0; k < cols.size(); ++k) {
      EXPECT_EQ(freq->labels()[k], g.at("frequency_desc_labels").at(cols[k]).get<std::vector<std::string>>());
      EXPECT_EQ(alpha->labels()[k], g.at("alphabet_asc_labels").at(cols[k]).get<std::vector<std::string>>());
      const auto idx = Doubles(*coded.column(outputs[k]));
      for (size_t r = 0; r < idx.size(); ++r) ASSERT_EQ(idx[r], g.at("codes")[r][k].get<double>()) << cols[k] << r;
    }
  }
}

}  // namespace
}  // namespace ember
