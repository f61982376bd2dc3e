#include "ml/feature/vector_assembler.h"

#include <gtest/gtest.h>

#include "ml/feature/feature_test_util.h"

namespace ember {
namespace {

using testing::ErrorOf;
using testing::FrameText;
using testing::MakeStage;
using testing::VectorRows;

DataFrame Mixed() {
  return DataFrame::Make({"a", "v", "b"},
                         {MakeColumn<int32_t>({1, 2, 3}), MakeDenseVectorColumn(3, 2, {0.5f, 1, 0, 0, -2, 3}),
                          MakeColumn<double>({10, 0, 30})});
}

TEST(VectorAssemblerTest, ConcatenatesNumericAndDenseVectors) {
  auto va = MakeStage<VectorAssembler>("VectorAssembler", {{"inputCols", {"a", "v", "b"}}, {"outputCol", "f"}});
  const DataFrame out = va->Transform(Mixed(), Context::Default(1));
  EXPECT_EQ(out.schema().field(3).type, DataType::DenseVector(4));
  EXPECT_EQ(VectorRows(*out.column("f")),
            (std::vector<std::vector<float>>{{1, 0.5f, 1, 10}, {2, 0, 0, 0}, {3, -2, 3, 30}}));
  testing::ExpectSameFromTwoThreads(*va, Mixed());
  testing::ExpectRoundTripIdentical(*va, Mixed());
}

TEST(VectorAssemblerTest, AnySparseInputGivesSparseOutputWithoutZeros) {
  const DataFrame in = DataFrame::Make(
      {"s", "x"}, {MakeSparseVectorColumn(3, {0, 1, 1, 3}, {2, 0, 1}, {5, 6, 0}), MakeColumn<float>({0, 7, 8})});
  auto va = MakeStage<VectorAssembler>("VectorAssembler", {{"inputCols", {"x", "s"}}, {"outputCol", "f"}});
  const DataFrame out = va->Transform(in, Context::Default(1));
  const Column& f = *out.column("f");
  ASSERT_EQ(f.type(), DataType::SparseVector(4));
  // Row 0: x=0 dropped, s[2]=5 -> index 3. Row 1: x=7 only. Row 2: 8, s[0]=6 (s[1]=0 dropped).
  EXPECT_EQ(testing::ColumnText(f), "{3|5};{0|7};{0,1|8,6};");
}

TEST(VectorAssemblerTest, HandleInvalidBranches) {
  const DataFrame in = DataFrame::Make(
      {"x", "y"}, {MakeNullableColumn<double>({1.0, std::nullopt, 3.0}), MakeColumn<double>({1, 2, std::nan("")})});
  auto error = MakeStage<VectorAssembler>("VectorAssembler", {{"inputCols", {"x", "y"}}, {"outputCol", "f"}});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { error->Transform(in, Context::Default(1)); }),
            "VectorAssembler: inputCols column 'x' has a null at row 1; set handleInvalid to 'skip' to drop such "
            "rows or 'keep' to write NaN");
  auto skip = MakeStage<VectorAssembler>("VectorAssembler",
                                         {{"inputCols", {"x", "y"}}, {"outputCol", "f"}, {"handleInvalid", "skip"}});
  const DataFrame skipped = skip->Transform(in, Context::Default(1));
  ASSERT_EQ(skipped.num_rows(), 1u);
  EXPECT_EQ(VectorRows(*skipped.column("f")), (std::vector<std::vector<float>>{{1, 1}}));
  auto keep = MakeStage<VectorAssembler>("VectorAssembler",
                                         {{"inputCols", {"x", "y"}}, {"outputCol", "f"}, {"handleInvalid", "keep"}});
  EXPECT_EQ(testing::ColumnText(*keep->Transform(in, Context::Default(1)).column("f")), "[1,1];[nan,2];[3,nan];");
  // A null vector is invalid too; 'keep' fills its width with NaN.
  const DataFrame vec = DataFrame::Make(
      {"v"}, {MakeDenseVectorColumn(2, 2, {1, 2, 3, 4})->WithValidity(Buffer::Copy(std::vector<uint8_t>{1, 0}))});
  auto keep_v = MakeStage<VectorAssembler>("VectorAssembler",
                                           {{"inputCols", {"v"}}, {"outputCol", "f"}, {"handleInvalid", "keep"}});
  EXPECT_EQ(testing::ColumnText(*keep_v->Transform(vec, Context::Default(1)).column("f")), "[1,2];[nan,nan];");
  auto error_v = MakeStage<VectorAssembler>("VectorAssembler", {{"inputCols", {"v"}}, {"outputCol", "f"}});
  EXPECT_THROW(error_v->Transform(vec, Context::Default(1)), InvalidArgument);
}

TEST(VectorAssemblerTest, SparseOutputKeepsNullsAsNaNAndDropsZeros) {
  // s: {0: 1.5}; null; {0: 0 (a stored zero), 1: 2}.  x: 0, null, 4.
  const ColumnPtr s = MakeSparseVectorColumn(2, {0, 1, 1, 3}, {0, 0, 1}, {1.5f, 0.0f, 2.0f})
                          ->WithValidity(Buffer::Copy(std::vector<uint8_t>{1, 0, 1}));
  const DataFrame in = DataFrame::Make({"s", "x"}, {s, MakeNullableColumn<double>({0.0, std::nullopt, 4.0})});
  auto keep = MakeStage<VectorAssembler>("VectorAssembler",
                                         {{"inputCols", {"s", "x"}}, {"outputCol", "f"}, {"handleInvalid", "keep"}});
  EXPECT_EQ(testing::ColumnText(*keep->Transform(in, Context::Default(1)).column("f")),
            "{0|1.5};{0,1,2|nan,nan,nan};{1,2|2,4};");
  auto error = MakeStage<VectorAssembler>("VectorAssembler", {{"inputCols", {"s", "x"}}, {"outputCol", "f"}});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { error->Transform(in, Context::Default(1)); }),
            "VectorAssembler: inputCols column 's' has a null at row 1; set handleInvalid to 'skip' to drop such "
            "rows or 'keep' to write NaN");
  // A slice (offsets not starting at 0) reads the same rows.
  const DataFrame tail = in.Slice(1, 2);
  EXPECT_EQ(testing::ColumnText(*keep->Transform(tail, Context::Default(1)).column("f")),
            "{0,1,2|nan,nan,nan};{1,2|2,4};");
}

TEST(VectorAssemblerTest, SchemaErrorsNameStageAndColumn) {
  auto va = MakeStage<VectorAssembler>("VectorAssembler", {{"inputCols", {"a", "zz"}}, {"outputCol", "f"}});
  EXPECT_NE(ErrorOf<SchemaError>([&] { va->TransformSchema(Mixed().schema()); }).find("VectorAssembler: inputCols"),
            std::string::npos);
  const DataFrame text = DataFrame::Make({"s"}, {MakeStringColumn({"x"})});
  auto on_text = MakeStage<VectorAssembler>("VectorAssembler", {{"inputCols", {"s"}}, {"outputCol", "f"}});
  EXPECT_EQ(ErrorOf<SchemaError>([&] { on_text->Transform(text, Context::Default(1)); }),
            "VectorAssembler: inputCols column 's' must be numeric or a vector, got string");
  auto clash = MakeStage<VectorAssembler>("VectorAssembler", {{"inputCols", {"a"}}, {"outputCol", "b"}});
  EXPECT_THROW(clash->TransformSchema(Mixed().schema()), SchemaError);
  // Spark's default output name.
  auto unnamed = MakeStage<VectorAssembler>("VectorAssembler", {{"inputCols", {"a"}}});
  EXPECT_EQ(unnamed->TransformSchema(Mixed().schema()).fields().back().name, unnamed->uid() + "__output");
}

TEST(VectorAssemblerTest, ParallelBlocksMatchSerial) {
  const size_t n = 40000;  // several ParallelFor blocks
  std::vector<double> x(n);
  std::vector<int64_t> offsets{0};
  std::vector<int32_t> indices;
  std::vector<float> values;
  for (size_t i = 0; i < n; ++i) {
    x[i] = static_cast<double>(i % 97) - 3;
    if (i % 3 == 0) {
      indices.push_back(static_cast<int32_t>(i % 5));
      values.push_back(static_cast<float>(i));
    }
    offsets.push_back(static_cast<int64_t>(indices.size()));
  }
  const DataFrame in =
      DataFrame::Make({"x", "s"}, {MakeColumn(x), MakeSparseVectorColumn(5, offsets, indices, values)});
  auto va = MakeStage<VectorAssembler>("VectorAssembler", {{"inputCols", {"s", "x"}}, {"outputCol", "f"}});
  EXPECT_EQ(FrameText(va->Transform(in, Context::Default(1))), FrameText(va->Transform(in, Context::Default(2))));
  const auto rows = VectorRows(*va->Transform(in, Context::Default(2)).column("f"));
  EXPECT_EQ(rows[30000], (std::vector<float>{30000, 0, 0, 0, 0, static_cast<float>(30000 % 97 - 3)}));
}

}  // namespace
}  // namespace ember
