#include "ml/feature/target_encoder.h"

#include <gtest/gtest.h>

#include "ml/feature/text_test_util.h"

namespace ember {
namespace {

using namespace text_test;

ModelPtr FitTe(const DataFrame& df, nlohmann::json params) {
  auto stage = Registry().Make("TargetEncoder", params);
  return dynamic_cast<const Estimator&>(*stage).Fit(df, Context::Default(1));
}

DataFrame Binary() {
  return DataFrame::Make({"cat", "label"},
                         {MakeColumn<int32_t>({0, 0, 1, 1, 1, 2}), MakeColumn<double>({1, 0, 1, 1, 0, 1})});
}

TEST(TargetEncoderTest, BinaryByHandWithAndWithoutSmoothing) {
  // Overall mean 4/6; category 0: 1 of 2, category 1: 2 of 3, category 2: 1 of 1.
  const DataFrame df = Binary();
  auto plain = FitTe(df, {{"inputCol", "cat"}});
  EXPECT_EQ(Doubles(*plain->Transform(df, Context::Default(1)).column("cat_indexed")),
            (std::vector<double>{0.5, 0.5, 2.0 / 3, 2.0 / 3, 2.0 / 3, 1.0}));
  // smoothing 1: (n_c m_c + m) / (n_c + 1).
  auto smooth = FitTe(df, {{"inputCol", "cat"}, {"outputCol", "enc"}, {"smoothing", 1.0}});
  const auto got = Doubles(*smooth->Transform(df, Context::Default(1)).column("enc"));
  const std::vector<double> expected = {5.0 / 9, 5.0 / 9, 2.0 / 3, 2.0 / 3, 2.0 / 3, 5.0 / 6};
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-15) << i;
}

TEST(TargetEncoderTest, ContinuousMultiColumnAndNullCategory) {
  // a: [0, 0, 1, null]; b: [5, 6, 5, 5]; y: [1, 3, 5, 7]; overall mean 4.
  const DataFrame df = DataFrame::Make({"a", "b", "y"}, {MakeNullableColumn<double>({0.0, 0.0, 1.0, std::nullopt}),
                                                         MakeColumn<int64_t>({5, 6, 5, 5}),
                                                         MakeColumn<float>({1, 3, 5, 7})});
  auto model = FitTe(df, {{"inputCols", {"a", "b"}},
                          {"outputCols", {"a_te", "b_te"}},
                          {"labelCol", "y"},
                          {"targetType", "continuous"},
                          {"smoothing", 2.0}});
  const DataFrame out = model->Transform(df, Context::Default(1));
  // a: category 0 (n 2, mean 2) -> (4 + 8) / 4 = 3; category 1 (n 1, mean 5) -> (5 + 8) / 3; null (n 1, mean 7) -> (7 + 8) / 3.
  const auto a = Doubles(*out.column("a_te"));
  EXPECT_DOUBLE_EQ(a[0], 3.0);
  EXPECT_DOUBLE_EQ(a[2], 13.0 / 3);
  EXPECT_DOUBLE_EQ(a[3], 15.0 / 3);
  // b: category 5 (n 3, mean 13/3) -> (13 + 8) / 5; category 6 (n 1, mean 3) -> (3 + 8) / 3.
  const auto b = Doubles(*out.column("b_te"));
  EXPECT_DOUBLE_EQ(b[0], 21.0 / 5);
  EXPECT_DOUBLE_EQ(b[1], 11.0 / 3);
}

TEST(TargetEncoderTest, HandleInvalidErrorAndKeep) {
  const DataFrame df = Binary();
  const DataFrame unseen = DataFrame::Make({"cat"}, {MakeNullableColumn<int32_t>({1, 9, std::nullopt})});
  auto error = FitTe(df, {{"inputCol", "cat"}});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { error->Transform(unseen, Context::Default(1)); }),
            "TargetEncoderModel: unseen value 9 in column 'cat' at row 1; set handleInvalid='keep' to encode unseen "
            "values");
  auto keep = FitTe(df, {{"inputCol", "cat"}, {"handleInvalid", "keep"}});
  EXPECT_EQ(Doubles(*keep->Transform(unseen, Context::Default(1)).column("cat_indexed")),
            (std::vector<double>{2.0 / 3, 4.0 / 6, 4.0 / 6}));
  EXPECT_THROW(FitTe(df, {{"inputCol", "cat"}, {"handleInvalid", "skip"}}), InvalidArgument);
}

TEST(TargetEncoderTest, FitRejectsInvalidDataAndSchemas) {
  const auto bad_label = DataFrame::Make({"cat", "label"}, {MakeColumn<int32_t>({0, 1}), MakeColumn<double>({1, 2})});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { FitTe(bad_label, {{"inputCol", "cat"}}); }),
            "TargetEncoder: labelCol 'label' must be 0 or 1 (targetType 'binary'), got 2 at row 1");
  const auto bad_cat = DataFrame::Make({"cat", "label"}, {MakeColumn<double>({0, 1.5}), MakeColumn<double>({1, 0})});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { FitTe(bad_cat, {{"inputCol", "cat"}}); }),
            "TargetEncoder: values of column 'cat' must be category indices (whole numbers >= 0), got 1.5 at row 1");
  const auto text = DataFrame::Make({"cat", "label"}, {MakeStringColumn({"a"}), MakeColumn<double>({1})});
  EXPECT_NE(ErrorOf<SchemaError>([&] { FitTe(text, {{"inputCol", "cat"}}); }).find("must be numeric"),
            std::string::npos);
  EXPECT_NE(ErrorOf<SchemaError>([&] { FitTe(Binary(), {{"inputCol", "cat"}, {"labelCol", "y"}}); }).find("no column 'y'"),
            std::string::npos);
  EXPECT_NE(ErrorOf<SchemaError>([&] { FitTe(Binary(), {{"inputCol", "cat"}, {"outputCol", "label"}}); })
                .find("already exists"),
            std::string::npos);
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { FitTe(Binary(), {{"inputCols", {"cat"}}, {"outputCols", {"a", "b"}}}); }),
            "TargetEncoder: 1 input columns but 2 output columns; they must pair up");
}

TEST(TargetEncoderTest, SaveLoadAndThreads) {
  const DataFrame df = Binary();
  auto model = FitTe(df, {{"inputCol", "cat"}, {"smoothing", 0.5}, {"handleInvalid", "keep"}});
  const auto expected = Doubles(*model->Transform(df, Context::Default(1)).column("cat_indexed"));
  auto loaded = std::dynamic_pointer_cast<const TargetEncoderModel>(SaveAndLoad(*model));
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(Doubles(*loaded->Transform(df, Context::Default(1)).column("cat_indexed")), expected);
  EXPECT_EQ(loaded->params().GetString("handleInvalid"), "keep");
  const auto results =
      OnTwoThreads([&] { return Doubles(*model->Transform(df, Context::Default(1)).column("cat_indexed")); });
  EXPECT_EQ(results[0], expected);
  EXPECT_EQ(results[1], expected);
}

}  // namespace
}  // namespace ember
