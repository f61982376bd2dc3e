#include "ml/feature/imputer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ml/feature/feature_test_util.h"

namespace ember {
namespace {

using testing::ColumnText;
using testing::Doubles;
using testing::ErrorOf;
using testing::MakeStage;
using testing::Near;

const double kNaN = std::nan("");

DataFrame Data() {
  return DataFrame::Make({"a", "n"}, {MakeNullableColumn<double>({1, std::nullopt, 4, kNaN, 4, 10}),
                                      MakeNullableColumn<int32_t>({3, 2, std::nullopt, 2, 5, 3})});
}

std::shared_ptr<const ImputerModel> FitImputer(nlohmann::json params, const DataFrame& df) {
  if (!params.contains("inputCol")) {
    params["inputCols"] = {"a", "n"};
    params["outputCols"] = {"a2", "n2"};
  }
  return std::dynamic_pointer_cast<const ImputerModel>(
      MakeStage<Imputer>("Imputer", params)->Fit(df, Context::Default(1)));
}

TEST(ImputerTest, MeanMedianModeByHand) {
  // a: valid values 1, 4, 4, 10 (null and NaN missing); n: 3, 2, 2, 5, 3.
  auto mean = FitImputer({}, Data());
  ASSERT_NE(mean, nullptr);
  EXPECT_EQ(mean->surrogates(), (std::vector<double>{4.75, 3}));
  const DataFrame out = mean->Transform(Data(), Context::Default(1));
  EXPECT_EQ(Doubles(*out.column("a2")), (std::vector<double>{1, 4.75, 4, 4.75, 4, 10}));
  EXPECT_EQ(out.schema().field(3).type, DataType::Int32());  // the input's type, as Spark
  EXPECT_EQ(ColumnText(*out.column("n2")), "3;2;3;2;5;3;");
  EXPECT_EQ(FitImputer({{"strategy", "median"}}, Data())->surrogates(), (std::vector<double>{4, 3}));
  // Mode ties (2 and 3 twice each in n) go to the smaller value.
  EXPECT_EQ(FitImputer({{"strategy", "mode"}}, Data())->surrogates(), (std::vector<double>{4, 2}));
  const DataFrame even = DataFrame::Make({"a"}, {MakeColumn<double>({1, 2, 10, 4})});
  EXPECT_EQ(FitImputer({{"inputCol", "a"}, {"outputCol", "b"}, {"strategy", "median"}}, even)->surrogates()[0], 3);
  // Integer columns get the surrogate truncated.
  const DataFrame ints = DataFrame::Make({"a"}, {MakeNullableColumn<int64_t>({1, 2, std::nullopt})});
  EXPECT_EQ(
      ColumnText(
          *FitImputer({{"inputCol", "a"}, {"outputCol", "b"}}, ints)->Transform(ints, Context::Default(1)).column("b")),
      "1;2;1;");
}

TEST(ImputerTest, ExplicitMissingValue) {
  const DataFrame df = DataFrame::Make({"a"}, {MakeNullableColumn<double>({-1, 2, 4, kNaN, std::nullopt})});
  auto model = FitImputer({{"inputCol", "a"}, {"outputCol", "b"}, {"missingValue", -1}}, df);
  EXPECT_EQ(model->surrogates(), (std::vector<double>{3}));  // -1, NaN and null left out
  // -1 and null are replaced; NaN is not missingValue, so it stays (as Spark).
  EXPECT_EQ(ColumnText(*model->Transform(df, Context::Default(1)).column("b")), "3;2;4;nan;3;");
  const DataFrame all_missing = DataFrame::Make({"a"}, {MakeColumn<double>({kNaN, -1})});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] {
              FitImputer({{"inputCol", "a"}, {"outputCol", "b"}, {"missingValue", -1}}, all_missing);
            }),
            "Imputer: column 'a' has no values that are not null, NaN or missingValue (-1); the mean surrogate "
            "cannot be computed");
}

TEST(ImputerTest, SaveLoadThreadsAndSchemaErrors) {
  auto model = FitImputer({{"strategy", "median"}}, Data());
  testing::ExpectRoundTripIdentical(*model, Data());
  testing::ExpectSameFromTwoThreads(*model, Data());
  auto missing = MakeStage<Imputer>("Imputer", {{"inputCols", {"a", "zz"}}, {"outputCols", {"x", "y"}}});
  EXPECT_NE(ErrorOf<SchemaError>([&] { missing->Fit(Data(), Context::Default(1)); }).find("Imputer: inputCols"),
            std::string::npos);
  const DataFrame text = DataFrame::Make({"s"}, {MakeStringColumn({"x"})});
  auto on_text = MakeStage<Imputer>("Imputer", {{"inputCol", "s"}, {"outputCol", "t"}});
  EXPECT_EQ(ErrorOf<SchemaError>([&] { on_text->TransformSchema(text.schema()); }),
            "Imputer: inputCol column 's' must be int32, int64, float32 or float64, got string");
  auto clash = MakeStage<Imputer>("Imputer", {{"inputCol", "a"}, {"outputCol", "n"}});
  EXPECT_THROW(clash->TransformSchema(Data().schema()), SchemaError);
  EXPECT_THROW(model->Transform(text, Context::Default(1)), SchemaError);
}

// sklearn's SimpleImputer (mean, median, most_frequent) on credit_data columns
// with missing values, tests/golden/feature/imputer.json.
TEST(ImputerTest, MatchesSklearnOnCreditData) {
  const nlohmann::json g = testing::LoadGolden("imputer.json");
  const auto cols = g.at("columns").get<std::vector<std::string>>();
  std::vector<ColumnPtr> columns;
  std::vector<std::string> outputs;
  for (const std::string& c : cols) {
    columns.push_back(testing::GoldenDoubleColumn(g.at("inputs").at(c)));
    outputs.push_back(c + "_imputed");
  }
  const DataFrame df = DataFrame::Make(cols, columns);
  for (const auto& [strategy, key] : {std::pair{"mean", "mean"}, {"median", "median"}, {"mode", "most_frequent"}}) {
    auto model = std::dynamic_pointer_cast<const ImputerModel>(
        MakeStage<Imputer>("Imputer", {{"inputCols", cols}, {"outputCols", outputs}, {"strategy", strategy}})
            ->Fit(df, Context::Default(2)));
    const auto& expected = g.at(key);
    for (size_t k = 0; k < cols.size(); ++k) {
      EXPECT_TRUE(Near(model->surrogates()[k], expected.at("statistics")[k].get<double>(), 1e-12))
          << strategy << " " << cols[k];
    }
    const DataFrame out = model->Transform(df, Context::Default(2));
    const auto& head = expected.at("head");
    for (size_t k = 0; k < cols.size(); ++k) {
      const auto values = Doubles(*out.column(outputs[k]));
      for (size_t r = 0; r < head.size(); ++r) {
        EXPECT_TRUE(Near(values[r], head[r][k].get<double>(), 1e-12)) << strategy << " " << cols[k] << " row " << r;
      }
    }
  }
}

}  // namespace
}  // namespace ember
