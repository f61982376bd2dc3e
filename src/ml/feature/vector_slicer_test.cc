#include "ml/feature/vector_slicer.h"

#include <gtest/gtest.h>

#include "ml/feature/text_test_util.h"

namespace ember {
namespace {

using namespace text_test;

DataFrame Input(bool sparse) {
  // Rows [-2, 2.3, 0] and [0, 1, 5], features named f1, f2, f3.
  ColumnPtr c = sparse ? MakeSparseVectorColumn(3, {0, 2, 4}, {0, 1, 1, 2}, {-2, 2.3f, 1, 5})
                       : MakeDenseVectorColumn(2, 3, {-2, 2.3f, 0, 0, 1, 5});
  Field f{"userFeatures", c->type(), {{kFeatureNamesMetadataKey, R"(["f1","f2","f3"])"}}};
  return DataFrame::Make(Schema::Make({f}), {c});
}

std::unique_ptr<Stage> Slicer(nlohmann::json params) {
  params["inputCol"] = "userFeatures";
  params["outputCol"] = "features";
  return Registry().Make("VectorSlicer", params);
}

TEST(VectorSlicerTest, IndicesThenNamesDenseAndSparse) {
  for (bool sparse : {false, true}) {
    auto stage = Slicer({{"indices", {1}}, {"names", {"f3"}}});
    const DataFrame out = dynamic_cast<const Transformer&>(*stage).Transform(Input(sparse), Context::Default(1));
    EXPECT_EQ(VectorRows(*out.column("features")), (std::vector<std::vector<float>>{{2.3f, 0}, {1, 5}}));
    EXPECT_EQ(out.column("features")->type().id, sparse ? TypeId::kSparseVector : TypeId::kDenseVector);
    EXPECT_EQ(out.schema().field(1).metadata.at(kFeatureNamesMetadataKey), R"(["f2","f3"])");
  }
  // Order follows the params: indices [2, 0].
  auto stage = Slicer({{"indices", {2, 0}}});
  const DataFrame out = dynamic_cast<const Transformer&>(*stage).Transform(Input(true), Context::Default(1));
  EXPECT_EQ(VectorRows(*out.column("features")), (std::vector<std::vector<float>>{{0, -2}, {5, 0}}));
}

TEST(VectorSlicerTest, Errors) {
  const Schema s = Input(false).schema();
  auto schema_error = [&](nlohmann::json p) {
    return ErrorOf<SchemaError>([&] { dynamic_cast<const Transformer&>(*Slicer(p)).TransformSchema(s); });
  };
  auto arg_error = [&](nlohmann::json p) {
    return ErrorOf<InvalidArgument>([&] { dynamic_cast<const Transformer&>(*Slicer(p)).TransformSchema(s); });
  };
  EXPECT_EQ(schema_error({{"indices", {3}}}),
            "VectorSlicer: index 3 is out of range for column 'userFeatures' of 3 features");
  EXPECT_EQ(schema_error({{"names", {"f4"}}}),
            "VectorSlicer: column 'userFeatures' has no feature named 'f4'; did you mean 'f1'?");
  EXPECT_EQ(arg_error({}), "VectorSlicer: set indices or names (or both) to select at least one feature");
  EXPECT_EQ(arg_error({{"indices", {0.5}}}), "VectorSlicer: indices must be whole numbers, got 0.5");
  EXPECT_NE(arg_error({{"indices", {0}}, {"names", {"f1"}}}).find("selected twice"), std::string::npos);
  EXPECT_THROW(Slicer({{"indices", {-1}}}), InvalidArgument);
  const Schema unnamed = Schema::Make({{"userFeatures", DataType::DenseVector(3), {}}});
  EXPECT_NE(ErrorOf<SchemaError>([&] {
              dynamic_cast<const Transformer&>(*Slicer({{"names", {"f1"}}})).TransformSchema(unnamed);
            }).find("has no feature names"),
            std::string::npos);
}

TEST(VectorSlicerTest, SaveLoadAndThreads) {
  auto stage = Slicer({{"indices", {0, 2}}});
  const auto& t = dynamic_cast<const Transformer&>(*stage);
  const auto expected = VectorRows(*t.Transform(Input(true), Context::Default(1)).column("features"));
  auto loaded = std::dynamic_pointer_cast<const Transformer>(SaveAndLoad(t));
  EXPECT_EQ(VectorRows(*loaded->Transform(Input(true), Context::Default(1)).column("features")), expected);
  const auto results =
      OnTwoThreads([&] { return VectorRows(*t.Transform(Input(true), Context::Default(1)).column("features")); });
  EXPECT_EQ(results[0], expected);
  EXPECT_EQ(results[1], expected);
}

}  // namespace
}  // namespace ember
