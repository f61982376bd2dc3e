#include "ml/feature/binarizer_normalizer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ml/feature/feature_test_util.h"

namespace ember {
namespace {

using testing::ColumnText;
using testing::Doubles;
using testing::ErrorOf;
using testing::MakeStage;
using testing::VectorRows;

DataFrame Data() {
  return DataFrame::Make({"x", "v", "s"}, {MakeNullableColumn<double>({0.5, 1.5, std::nullopt, std::nan("")}),
                                           MakeDenseVectorColumn(4, 2, {0, 2, -1, 1.5f, 3, 4, 0, 0}),
                                           MakeSparseVectorColumn(3, {0, 2, 2, 3, 3}, {0, 2, 1}, {3, -4, 1})});
}

TEST(BinarizerTest, ScalarsAndVectors) {
  auto b = MakeStage<Binarizer>("Binarizer",
                                {{"inputCols", {"x", "v", "s"}}, {"outputCols", {"bx", "bv", "bs"}}, {"threshold", 1}});
  const DataFrame out = b->Transform(Data(), Context::Default(1));
  EXPECT_EQ(ColumnText(*out.column("bx")), "0;1;null;0;");  // NaN -> 0, null stays null
  EXPECT_EQ(VectorRows(*out.column("bv")), (std::vector<std::vector<float>>{{0, 1}, {0, 1}, {1, 1}, {0, 0}}));
  EXPECT_EQ(out.schema().field(5).type, DataType::SparseVector(3));
  EXPECT_EQ(ColumnText(*out.column("bs")), "{0|1};{|};{|};{|};");
  // A negative threshold turns implicit zeros into 1s, so sparse input gives dense output.
  auto neg = MakeStage<Binarizer>("Binarizer", {{"inputCol", "s"}, {"outputCol", "bs"}, {"threshold", -2}});
  const DataFrame dense = neg->Transform(Data(), Context::Default(1));
  EXPECT_EQ(dense.schema().field(3).type, DataType::DenseVector(3));
  EXPECT_EQ(VectorRows(*dense.column("bs")),
            (std::vector<std::vector<float>>{{1, 1, 0}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}}));
  auto per_column = MakeStage<Binarizer>(
      "Binarizer", {{"inputCols", {"x", "v"}}, {"outputCols", {"bx", "bv"}}, {"thresholds", {0.0, 2.5}}});
  const DataFrame pc = per_column->Transform(Data(), Context::Default(1));
  EXPECT_EQ(ColumnText(*pc.column("bx")), "1;1;null;0;");
  EXPECT_EQ(VectorRows(*pc.column("bv")), (std::vector<std::vector<float>>{{0, 0}, {0, 0}, {1, 1}, {0, 0}}));
  testing::ExpectRoundTripIdentical(*b, Data());
  testing::ExpectSameFromTwoThreads(*b, Data());
}

TEST(BinarizerTest, SchemaErrors) {
  const DataFrame text = DataFrame::Make({"t"}, {MakeStringColumn({"a"})});
  auto on_text = MakeStage<Binarizer>("Binarizer", {{"inputCol", "t"}, {"outputCol", "o"}});
  EXPECT_EQ(ErrorOf<SchemaError>([&] { on_text->TransformSchema(text.schema()); }),
            "Binarizer: inputCol column 't' must be numeric or a vector, got string");
  auto missing = MakeStage<Binarizer>("Binarizer", {{"inputCol", "q"}, {"outputCol", "o"}});
  EXPECT_NE(ErrorOf<SchemaError>([&] { missing->Transform(Data(), Context::Default(1)); }).find("Binarizer: inputCol"),
            std::string::npos);
  auto clash = MakeStage<Binarizer>("Binarizer", {{"inputCol", "x"}, {"outputCol", "v"}});
  EXPECT_THROW(clash->TransformSchema(Data().schema()), SchemaError);
  auto bad_thresholds =
      MakeStage<Binarizer>("Binarizer", {{"inputCols", {"x"}}, {"outputCols", {"o"}}, {"thresholds", {1.0, 2.0}}});
  EXPECT_THROW(bad_thresholds->TransformSchema(Data().schema()), InvalidArgument);
}

TEST(NormalizerTest, PNorms) {
  auto l2 = MakeStage<Normalizer>("Normalizer", {{"inputCol", "v"}, {"outputCol", "n"}});
  // Rows: (0, 2), (-1, 1.5), (3, 4), (0, 0) -- the zero row stays zero.
  EXPECT_EQ(VectorRows(*l2->Transform(Data(), Context::Default(1)).column("n")),
            (std::vector<std::vector<float>>{
                {0, 1},
                {static_cast<float>(-1 / std::sqrt(3.25)), static_cast<float>(1.5 / std::sqrt(3.25))},
                {0.6f, 0.8f},
                {0, 0}}));
  auto l1 = MakeStage<Normalizer>("Normalizer", {{"inputCol", "v"}, {"outputCol", "n"}, {"p", 1}});
  EXPECT_EQ(VectorRows(*l1->Transform(Data(), Context::Default(1)).column("n"))[1], (std::vector<float>{-0.4f, 0.6f}));
  auto linf = MakeStage<Normalizer>("Normalizer", {{"inputCol", "s"}, {"outputCol", "n"}, {"p", "Infinity"}});
  const DataFrame sparse = linf->Transform(Data(), Context::Default(1));
  EXPECT_EQ(sparse.schema().field(3).type, DataType::SparseVector(3));
  EXPECT_EQ(ColumnText(*sparse.column("n")), "{0,2|0.75,-1};{|};{1|1};{|};");
  auto l3 = MakeStage<Normalizer>("Normalizer", {{"inputCol", "v"}, {"outputCol", "n"}, {"p", 3}});
  EXPECT_EQ(VectorRows(*l3->Transform(Data(), Context::Default(1)).column("n"))[2],
            (std::vector<float>{static_cast<float>(3 / std::cbrt(91.0)), static_cast<float>(4 / std::cbrt(91.0))}));
  testing::ExpectRoundTripIdentical(*l3, Data());
  testing::ExpectSameFromTwoThreads(*l2, Data());
  EXPECT_THROW(MakeStage<Normalizer>("Normalizer", {{"p", 0.5}}), InvalidArgument);
}

TEST(NormalizerTest, SchemaErrors) {
  auto on_scalar = MakeStage<Normalizer>("Normalizer", {{"inputCol", "x"}, {"outputCol", "n"}});
  EXPECT_EQ(ErrorOf<SchemaError>([&] { on_scalar->TransformSchema(Data().schema()); }),
            "Normalizer: inputCol column 'x' must be a vector column, got float64");
  auto missing = MakeStage<Normalizer>("Normalizer", {{"inputCol", "q"}, {"outputCol", "n"}});
  EXPECT_THROW(missing->TransformSchema(Data().schema()), SchemaError);
  auto clash = MakeStage<Normalizer>("Normalizer", {{"inputCol", "v"}, {"outputCol", "s"}});
  EXPECT_THROW(clash->TransformSchema(Data().schema()), SchemaError);
}

}  // namespace
}  // namespace ember
