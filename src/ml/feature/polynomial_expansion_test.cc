#include "ml/feature/polynomial_expansion.h"

#include <gtest/gtest.h>

#include "ml/feature/text_test_util.h"

namespace ember {
namespace {

using namespace text_test;

std::unique_ptr<Stage> Poly(int64_t degree) {
  return Registry().Make("PolynomialExpansion", {{"inputCol", "x"}, {"outputCol", "poly"}, {"degree", degree}});
}

std::vector<std::vector<float>> Expand(const Stage& s, const DataFrame& df, int threads = 1) {
  return VectorRows(*dynamic_cast<const Transformer&>(s).Transform(df, Context::Default(threads)).column("poly"));
}

TEST(PolynomialExpansionTest, SparkOrderByHand) {
  // (x, y) = (2, 3), degree 2: (x, x^2, y, xy, y^2) as Spark documents.
  const DataFrame df = DataFrame::Make({"x"}, {MakeDenseVectorColumn(1, 2, {2, 3})});
  EXPECT_EQ(Expand(*Poly(2), df), (std::vector<std::vector<float>>{{2, 4, 3, 6, 9}}));
  EXPECT_EQ(PolynomialSize(2, 2), 5);
  EXPECT_EQ(PolynomialSize(3, 3), 19);
  EXPECT_THROW(PolynomialSize(100000, 10), InvalidArgument);
}

TEST(PolynomialExpansionTest, MatchesSklearnPolynomialFeaturesMappedToSparkOrder) {
  for (const auto& c : Golden("polynomial_expansion.json")) {
    const auto x = c["input"].get<std::vector<float>>();
    const auto expected = c["expected"].get<std::vector<double>>();
    const DataFrame dense = DataFrame::Make({"x"}, {MakeDenseVectorColumn(1, static_cast<int32_t>(x.size()), x)});
    // The same row as a sparse vector (zeros left out).
    std::vector<int32_t> idx;
    std::vector<float> val;
    for (size_t i = 0; i < x.size(); ++i) {
      if (x[i] != 0) {
        idx.push_back(static_cast<int32_t>(i));
        val.push_back(x[i]);
      }
    }
    const DataFrame sparse = DataFrame::Make(
        {"x"}, {MakeSparseVectorColumn(static_cast<int32_t>(x.size()), {0, static_cast<int64_t>(idx.size())}, idx, val)});
    auto stage = Poly(c["degree"]);
    for (const DataFrame& df : {dense, sparse}) {
      const auto rows = Expand(*stage, df);
      ASSERT_EQ(rows[0].size(), expected.size());
      for (size_t j = 0; j < expected.size(); ++j) EXPECT_FLOAT_EQ(rows[0][j], expected[j]) << "term " << j;
    }
    const auto out = dynamic_cast<const Transformer&>(*stage).Transform(sparse, Context::Default(1));
    EXPECT_EQ(out.column("poly")->type().id, TypeId::kSparseVector);
  }
}

TEST(PolynomialExpansionTest, NullsSchemaSaveLoadThreads) {
  const DataFrame df = DataFrame::Make({"x"}, {MakeDenseVectorColumn(3, 2, {1, 2, 0, 1, -1, 0.5})});
  auto stage = Poly(3);
  const auto expected = Expand(*stage, df);
  EXPECT_EQ(expected[1], (std::vector<float>{0, 0, 0, 1, 0, 0, 1, 0, 1}));  // x = 0, y = 1
  EXPECT_EQ(Expand(*SaveAndLoad(*stage), df), expected);
  const auto results = OnTwoThreads([&] { return Expand(*stage, df); });
  EXPECT_EQ(results[0], expected);
  EXPECT_EQ(results[1], expected);
  const DataFrame with_null = DataFrame::Make(
      {"x"}, {MakeDenseVectorColumn(2, 2, {1, 2, 3, 4})->WithValidity(Buffer::Copy(std::vector<uint8_t>{1, 0}))});
  const auto out = dynamic_cast<const Transformer&>(*stage).Transform(with_null, Context::Default(1));
  EXPECT_TRUE(out.column("poly")->IsNull(1));
  const auto& t = dynamic_cast<const Transformer&>(*stage);
  EXPECT_EQ(ErrorOf<SchemaError>([&] { t.TransformSchema(Schema::Make({{"x", DataType::Float64(), {}}})); }),
            "PolynomialExpansion: inputCol column 'x' must be a vector column, got float64");
  EXPECT_NE(ErrorOf<SchemaError>([&] {
              t.TransformSchema(Schema::Make({{"x", DataType::DenseVector(2), {}}, {"poly", DataType::Float64(), {}}}));
            }).find("already exists"),
            std::string::npos);
}

}  // namespace
}  // namespace ember
