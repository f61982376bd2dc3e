#include "ml/feature/interaction.h"

#include <gtest/gtest.h>

#include "ml/feature/text_test_util.h"

namespace ember {
namespace {

using namespace text_test;

std::unique_ptr<Stage> Interact(std::vector<std::string> cols) {
  return Registry().Make("Interaction", {{"inputCols", cols}, {"outputCol", "out"}});
}

TEST(InteractionTest, SparkDocumentationExample) {
  // Spark's docs: id1 = 1, vec1 = [1, 2, 3], vec2 = [8, 4, 5] -> [8, 4, 5, 16, 8, 10, 24, 12, 15].
  const DataFrame df = DataFrame::Make({"id1", "vec1", "vec2"},
                                       {MakeColumn<int32_t>({1, 2}), MakeDenseVectorColumn(2, 3, {1, 2, 3, 4, 3, 8}),
                                        MakeDenseVectorColumn(2, 3, {8, 4, 5, 7, 3, 8})});
  auto stage = Interact({"id1", "vec1", "vec2"});
  const auto& t = dynamic_cast<const Transformer&>(*stage);
  const DataFrame out = t.Transform(df, Context::Default(1));
  EXPECT_EQ(out.column("out")->type(), DataType::DenseVector(9));
  const auto rows = VectorRows(*out.column("out"));
  EXPECT_EQ(rows[0], (std::vector<float>{8, 4, 5, 16, 8, 10, 24, 12, 15}));
  // Spark's second row: id1 = 2, [4, 3, 8], [7, 3, 8] -> [56, 24, 64, 42, 18, 48, 112, 48, 128].
  EXPECT_EQ(rows[1], (std::vector<float>{56, 24, 64, 42, 18, 48, 112, 48, 128}));
  EXPECT_EQ(VectorRows(*std::dynamic_pointer_cast<const Transformer>(SaveAndLoad(t))->Transform(df, Context::Default(1)).column("out")),
            rows);
  const auto results = OnTwoThreads([&] { return VectorRows(*t.Transform(df, Context::Default(1)).column("out")); });
  EXPECT_EQ(results[0], rows);
  EXPECT_EQ(results[1], rows);
}

TEST(InteractionTest, SparseInputsAndNulls) {
  // a = sparse [0, 2, 0], b = 3 -> sparse [0, 6, 0]; row 2 has a null b.
  const DataFrame df = DataFrame::Make(
      {"a", "b"}, {MakeSparseVectorColumn(3, {0, 1, 2}, {1, 0}, {2, 5}), MakeNullableColumn<double>({3.0, std::nullopt})});
  auto stage = Interact({"b", "a"});
  const DataFrame out = dynamic_cast<const Transformer&>(*stage).Transform(df, Context::Default(1));
  EXPECT_EQ(out.column("out")->type(), DataType::SparseVector(3));
  EXPECT_EQ(SparseEntries(*out.column("out"))[0], (std::vector<std::pair<int32_t, float>>{{1, 6}}));
  EXPECT_TRUE(out.column("out")->IsNull(1));
}

TEST(InteractionTest, SchemaErrors) {
  const Schema s = Schema::Make({{"a", DataType::Float64(), {}}, {"s", DataType::String(), {}}});
  auto check = [&](std::vector<std::string> cols) {
    return ErrorOf<SchemaError>([&] { dynamic_cast<const Transformer&>(*Interact(cols)).TransformSchema(s); });
  };
  EXPECT_EQ(check({"a", "s"}), "Interaction: inputCols column 's' must be numeric or a vector, got string");
  EXPECT_EQ(check({"a", "b"}), "Interaction: inputCols column: no column 'b' (columns: a, s)");
  EXPECT_EQ(check({}), "Interaction: inputCols must name at least one column");
}

}  // namespace
}  // namespace ember
