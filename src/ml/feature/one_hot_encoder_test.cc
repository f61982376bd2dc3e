#include "ml/feature/one_hot_encoder.h"

#include <gtest/gtest.h>

#include "ml/feature/feature_test_util.h"
#include "ml/feature/string_indexer.h"

namespace ember {
namespace {

using testing::ColumnText;
using testing::ErrorOf;
using testing::MakeStage;

DataFrame Codes() {
  return DataFrame::Make({"a", "b"}, {MakeColumn<double>({0, 2, 1, 2}), MakeColumn<int32_t>({1, 0, 1, 1})});
}

std::shared_ptr<const OneHotEncoderModel> FitEncoder(const nlohmann::json& params, const DataFrame& df) {
  return std::dynamic_pointer_cast<const OneHotEncoderModel>(
      MakeStage<OneHotEncoder>("OneHotEncoder", params)->Fit(df, Context::Default(1)));
}

TEST(OneHotEncoderTest, DropLastByDefault) {
  auto model = FitEncoder({{"inputCols", {"a", "b"}}, {"outputCols", {"va", "vb"}}}, Codes());
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->category_sizes(), (std::vector<int64_t>{3, 2}));
  const DataFrame out = model->Transform(Codes(), Context::Default(1));
  EXPECT_EQ(out.schema().field(2).type, DataType::SparseVector(2));
  EXPECT_EQ(out.schema().field(3).type, DataType::SparseVector(1));
  // The last category (a=2, b=1) encodes as all zeros.
  EXPECT_EQ(ColumnText(*out.column("va")), "{0|1};{|};{1|1};{|};");
  EXPECT_EQ(ColumnText(*out.column("vb")), "{|};{0|1};{|};{|};");
  auto full = FitEncoder({{"inputCol", "a"}, {"outputCol", "va"}, {"dropLast", false}}, Codes());
  EXPECT_EQ(ColumnText(*full->Transform(Codes(), Context::Default(1)).column("va")), "{0|1};{2|1};{1|1};{2|1};");
  testing::ExpectRoundTripIdentical(*model, Codes());
  testing::ExpectSameFromTwoThreads(*model, Codes());
}

TEST(OneHotEncoderTest, ManyRowBlocksStitchInOrder) {
  // 40000 rows: more than one row block, so the per-block parts are stitched
  // at their prefix offsets. Row i holds code i % 5; dropLast drops code 4.
  constexpr size_t kRows = 40000;
  std::vector<double> codes(kRows);
  for (size_t i = 0; i < kRows; ++i) codes[i] = static_cast<double>(i % 5);
  const DataFrame df = DataFrame::Make({"a"}, {MakeColumn(codes)});
  auto model = FitEncoder({{"inputCol", "a"}, {"outputCol", "va"}}, df);
  for (int threads : {1, 2}) {
    const DataFrame out = model->Transform(df, Context::Default(threads));
    const Column& va = *out.column("va");
    ASSERT_EQ(va.length(), kRows);
    for (size_t i = 0; i < kRows; ++i) {
      const SparseRow row = va.SparseRowAt(i);
      if (i % 5 == 4) {
        ASSERT_EQ(row.indices.size(), 0u) << i;
      } else {
        ASSERT_EQ(row.indices.size(), 1u) << i;
        ASSERT_EQ(row.indices[0], static_cast<int32_t>(i % 5)) << i;
        ASSERT_EQ(row.values[0], 1.0f) << i;
      }
    }
  }
}

TEST(OneHotEncoderTest, HandleInvalidErrorAndKeep) {
  const DataFrame test = DataFrame::Make({"a"}, {MakeNullableColumn<double>({1, 3, -1, std::nullopt, 2})});
  auto error = FitEncoder({{"inputCol", "a"}, {"outputCol", "v"}}, Codes());
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { error->Transform(test, Context::Default(1)); }),
            "OneHotEncoderModel: column 'a' has 3 at row 1, not an index in [0, 3); set handleInvalid to 'keep' "
            "to encode such values");
  // keep + dropLast: size 3 + 1 - 1 = 3; invalid values take slot 3, which is dropped.
  auto keep = FitEncoder({{"inputCol", "a"}, {"outputCol", "v"}, {"handleInvalid", "keep"}}, Codes());
  const DataFrame kept = keep->Transform(test, Context::Default(1));
  EXPECT_EQ(kept.schema().field(1).type, DataType::SparseVector(3));
  EXPECT_EQ(ColumnText(*kept.column("v")), "{1|1};{|};{|};{|};{2|1};");
  auto keep_all =
      FitEncoder({{"inputCol", "a"}, {"outputCol", "v"}, {"handleInvalid", "keep"}, {"dropLast", false}}, Codes());
  EXPECT_EQ(ColumnText(*keep_all->Transform(test, Context::Default(1)).column("v")), "{1|1};{3|1};{3|1};{3|1};{2|1};");
  EXPECT_THROW(MakeStage<OneHotEncoder>("OneHotEncoder", {{"handleInvalid", "skip"}}), InvalidArgument);
}

TEST(OneHotEncoderTest, FitRejectsNonIndicesAndUsesIndexerMetadata) {
  const DataFrame bad = DataFrame::Make({"a"}, {MakeColumn<double>({0, 1.5})});
  auto enc = MakeStage<OneHotEncoder>("OneHotEncoder", {{"inputCol", "a"}, {"outputCol", "v"}});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { enc->Fit(bad, Context::Default(1)); }),
            "OneHotEncoder: values of column 'a' must be category indices (non-negative integers below 2^31-1), "
            "got 1.5 at row 1");
  // A StringIndexer's labels (x, y, z) fix the size even though z is absent from the data.
  const DataFrame s = DataFrame::Make({"s"}, {MakeStringColumn({"x", "y", "z", "x"})});
  auto indexer = MakeStage<StringIndexer>("StringIndexer", {{"inputCol", "s"}, {"outputCol", "i"}});
  const DataFrame indexed = indexer->Fit(s, Context::Default(1))->Transform(s.Head(2), Context::Default(1));
  auto onehot = MakeStage<OneHotEncoder>("OneHotEncoder", {{"inputCol", "i"}, {"outputCol", "v"}});
  EXPECT_EQ(onehot->TransformSchema(indexed.schema()).fields().back().type, DataType::SparseVector(2));
  auto model = onehot->Fit(indexed, Context::Default(1));
  EXPECT_EQ(ColumnText(*model->Transform(indexed, Context::Default(1)).column("v")), "{0|1};{1|1};");
  EXPECT_EQ(model->TransformSchema(indexed.schema()).fields().back().type, DataType::SparseVector(2));
}

TEST(OneHotEncoderTest, SchemaErrors) {
  auto missing = MakeStage<OneHotEncoder>("OneHotEncoder", {{"inputCols", {"a", "q"}}, {"outputCols", {"x", "y"}}});
  EXPECT_NE(ErrorOf<SchemaError>([&] { missing->Fit(Codes(), Context::Default(1)); }).find("OneHotEncoder: inputCols"),
            std::string::npos);
  const DataFrame text = DataFrame::Make({"s"}, {MakeStringColumn({"a"})});
  auto on_text = MakeStage<OneHotEncoder>("OneHotEncoder", {{"inputCol", "s"}, {"outputCol", "v"}});
  EXPECT_THROW(on_text->TransformSchema(text.schema()), SchemaError);
  auto clash = MakeStage<OneHotEncoder>("OneHotEncoder", {{"inputCol", "a"}, {"outputCol", "b"}});
  EXPECT_THROW(clash->TransformSchema(Codes().schema()), SchemaError);
  auto uneven = MakeStage<OneHotEncoder>("OneHotEncoder", {{"inputCols", {"a", "b"}}, {"outputCols", {"x"}}});
  EXPECT_THROW(uneven->TransformSchema(Codes().schema()), InvalidArgument);
}

// sklearn's OneHotEncoder on OrdinalEncoder codes of real categorical columns
// (tests/golden/feature/categorical.json): dropLast=false gives exactly
// sklearn's full dummy matrix; dropLast=true drops its last column.
TEST(OneHotEncoderTest, MatchesSklearnOnDatasets) {
  const nlohmann::json golden = testing::LoadGolden("categorical.json");
  for (const char* key : {"churn", "credit"}) {
    const auto& g = golden.at(key);
    const auto cols = g.at("columns").get<std::vector<std::string>>();
    std::vector<ColumnPtr> columns;
    std::vector<std::string> outputs;
    for (size_t k = 0; k < cols.size(); ++k) {
      std::vector<double> codes;
      for (const auto& row : g.at("codes")) codes.push_back(row.at(k).get<double>());
      columns.push_back(MakeColumn(codes));
      outputs.push_back(cols[k] + "_vec");
    }
    const DataFrame df = DataFrame::Make(cols, columns);
    for (bool drop_last : {false, true}) {
      auto model = FitEncoder({{"inputCols", cols}, {"outputCols", outputs}, {"dropLast", drop_last}}, df);
      EXPECT_EQ(model->category_sizes(), g.at("category_counts").get<std::vector<int64_t>>());
      const DataFrame out = model->Transform(df, Context::Default(2));
      const auto& head = g.at("onehot_head");
      for (size_t r = 0; r < head.size(); ++r) {
        std::vector<float> expected;
        size_t at = 0;
        for (size_t k = 0; k < cols.size(); ++k) {
          const auto n = static_cast<size_t>(model->category_sizes()[k]);
          for (size_t j = 0; j < n; ++j) {
            if (!drop_last || j + 1 < n) expected.push_back(head[r][at + j].get<float>());
          }
          at += n;
        }
        std::vector<float> actual;
        for (const std::string& o : outputs) {
          const auto row = testing::VectorRows(*out.column(o))[r];
          actual.insert(actual.end(), row.begin(), row.end());
        }
        EXPECT_EQ(actual, expected) << key << " row " << r << " dropLast " << drop_last;
      }
    }
  }
}

}  // namespace
}  // namespace ember
