#include "ml/feature/bucketizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ml/feature/feature_test_util.h"

namespace ember {
namespace {

using testing::Doubles;
using testing::ErrorOf;
using testing::MakeStage;
using testing::Near;

const double kNaN = std::nan("");
const double kInf = std::numeric_limits<double>::infinity();

std::shared_ptr<const Bucketizer> MakeBucketizer(const nlohmann::json& params) {
  return MakeStage<Bucketizer>("Bucketizer", params);
}

TEST(BucketizerTest, BucketsAreHalfOpenExceptTheLast) {
  const DataFrame df = DataFrame::Make({"x"}, {MakeColumn<double>({-5, 0, 9.9, 10, 100})});
  auto b = MakeBucketizer({{"inputCol", "x"}, {"outputCol", "b"}, {"splits", {"-Infinity", 0, 10, "Infinity"}}});
  EXPECT_EQ(Doubles(*b->Transform(df, Context::Default(1)).column("b")), (std::vector<double>{0, 1, 1, 2, 2}));
  const DataFrame ints = DataFrame::Make({"x"}, {MakeColumn<int32_t>({0, 1, 2})});
  auto closed = MakeBucketizer({{"inputCol", "x"}, {"outputCol", "b"}, {"splits", {0, 1, 2}}});
  EXPECT_EQ(Doubles(*closed->Transform(ints, Context::Default(1)).column("b")), (std::vector<double>{0, 1, 1}));
  const DataFrame outside = DataFrame::Make({"x"}, {MakeColumn<double>({1, 3})});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { closed->Transform(outside, Context::Default(1)); }),
            "Bucketizer: column 'x' has 3 at row 1, outside the splits [0, 2]; use -inf and inf as the outer splits "
            "to cover every value");
  testing::ExpectRoundTripIdentical(*b, df);
  testing::ExpectSameFromTwoThreads(*b, df);
}

TEST(BucketizerTest, HandleInvalidBranches) {
  const DataFrame df = DataFrame::Make({"x"}, {MakeNullableColumn<double>({0.5, kNaN, std::nullopt, 1.5})});
  nlohmann::json params = {{"inputCol", "x"}, {"outputCol", "b"}, {"splits", {0, 1, 2}}};
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { MakeBucketizer(params)->Transform(df, Context::Default(1)); }),
            "Bucketizer: column 'x' has a NaN at row 1; set handleInvalid to 'skip' to drop such rows or 'keep' to "
            "give them bucket 2");
  params["handleInvalid"] = "skip";
  const DataFrame skipped = MakeBucketizer(params)->Transform(df, Context::Default(1));
  EXPECT_EQ(Doubles(*skipped.column("b")), (std::vector<double>{0, 1}));
  EXPECT_EQ(Doubles(*skipped.column("x")), (std::vector<double>{0.5, 1.5}));
  params["handleInvalid"] = "keep";
  EXPECT_EQ(Doubles(*MakeBucketizer(params)->Transform(df, Context::Default(1)).column("b")),
            (std::vector<double>{0, 2, 2, 1}));
}

TEST(BucketizerTest, MultipleColumnsWithSplitsArray) {
  const DataFrame df = DataFrame::Make({"x", "y"}, {MakeColumn<double>({-1, 5}), MakeColumn<float>({0.5f, 2.5f})});
  auto b = MakeBucketizer(
      {{"inputCols", {"x", "y"}}, {"outputCols", {"bx", "by"}}, {"splitsArray", {"-inf, 0, inf", "0,1,2,3"}}});
  const DataFrame out = b->Transform(df, Context::Default(1));
  EXPECT_EQ(Doubles(*out.column("bx")), (std::vector<double>{0, 1}));
  EXPECT_EQ(Doubles(*out.column("by")), (std::vector<double>{0, 2}));
  testing::ExpectRoundTripIdentical(*b, df);
}

TEST(BucketizerTest, BadSplitsAndSchemaErrors) {
  const DataFrame df = DataFrame::Make({"x", "s"}, {MakeColumn<double>({1}), MakeStringColumn({"a"})});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] {
              MakeBucketizer({{"inputCol", "x"}, {"outputCol", "b"}, {"splits", {0, 1}}})->TransformSchema(df.schema());
            }),
            "Bucketizer: splits must hold at least 3 values (2 buckets), got 2");
  EXPECT_THROW(
      MakeBucketizer({{"inputCol", "x"}, {"outputCol", "b"}, {"splits", {0, 2, 1}}})->TransformSchema(df.schema()),
      InvalidArgument);
  EXPECT_THROW(MakeBucketizer({{"inputCols", {"x"}}, {"outputCols", {"b"}}, {"splitsArray", {"0, one, 2"}}})
                   ->TransformSchema(df.schema()),
               InvalidArgument);
  EXPECT_THROW(MakeBucketizer({{"inputCol", "x"}, {"outputCol", "b"}})->TransformSchema(df.schema()), InvalidArgument);
  auto missing = MakeBucketizer({{"inputCol", "q"}, {"outputCol", "b"}, {"splits", {0, 1, 2}}});
  EXPECT_NE(ErrorOf<SchemaError>([&] { missing->TransformSchema(df.schema()); }).find("Bucketizer: inputCol"),
            std::string::npos);
  EXPECT_THROW(
      MakeBucketizer({{"inputCol", "s"}, {"outputCol", "b"}, {"splits", {0, 1, 2}}})->TransformSchema(df.schema()),
      SchemaError);
  EXPECT_THROW(
      MakeBucketizer({{"inputCol", "x"}, {"outputCol", "s"}, {"splits", {0, 1, 2}}})->TransformSchema(df.schema()),
      SchemaError);
}

std::vector<double> SplitsOf(const ModelPtr& m) {
  return std::dynamic_pointer_cast<const Bucketizer>(m)->Splits().at(0);
}

TEST(QuantileDiscretizerTest, ExactQuantileSplits) {
  const DataFrame df =
      DataFrame::Make({"x"}, {MakeNullableColumn<double>({8, 1, 2, kNaN, 3, 4, std::nullopt, 5, 6, 7})});
  auto qd = MakeStage<QuantileDiscretizer>(
      "QuantileDiscretizer", {{"inputCol", "x"}, {"outputCol", "b"}, {"numBuckets", 4}, {"handleInvalid", "keep"}});
  const ModelPtr model = qd->Fit(df, Context::Default(1));
  // 1..8, positions 7q: 1.75 -> 2.75, 3.5 -> 4.5, 5.25 -> 6.25 (NaN and null left out).
  EXPECT_EQ(SplitsOf(model), (std::vector<double>{-kInf, 2.75, 4.5, 6.25, kInf}));
  EXPECT_EQ(model->class_name(), "Bucketizer");
  EXPECT_EQ(Doubles(*model->Transform(df, Context::Default(1)).column("b")),
            (std::vector<double>{3, 0, 0, 4, 1, 1, 4, 2, 2, 3}));
  testing::ExpectRoundTripIdentical(*model, df);
  testing::ExpectSameFromTwoThreads(*model, df);
  // Repeated quantiles collapse, as Spark.
  const DataFrame ties = DataFrame::Make({"x"}, {MakeColumn<double>({0, 0, 0, 0, 0, 1})});
  EXPECT_EQ(SplitsOf(qd->Fit(ties, Context::Default(1))), (std::vector<double>{-kInf, 0, kInf}));
}

TEST(QuantileDiscretizerTest, MultipleColumnsAndErrors) {
  const DataFrame df = DataFrame::Make({"x", "y"}, {MakeColumn<double>({1, 2, 3}), MakeColumn<int32_t>({10, 20, 30})});
  auto qd = MakeStage<QuantileDiscretizer>(
      "QuantileDiscretizer", {{"inputCols", {"x", "y"}}, {"outputCols", {"bx", "by"}}, {"numBucketsArray", {2, 3}}});
  const auto splits = std::dynamic_pointer_cast<const Bucketizer>(qd->Fit(df, Context::Default(1)))->Splits();
  EXPECT_EQ(splits[0], (std::vector<double>{-kInf, 2, kInf}));
  EXPECT_EQ(splits[1].size(), 4u);
  EXPECT_TRUE(Near(splits[1][1], 10 + 10.0 * 2 / 3, 1e-12));  // position (3 - 1) / 3 between 10 and 20
  EXPECT_THROW(MakeStage<QuantileDiscretizer>("QuantileDiscretizer", {{"numBuckets", 1}}), InvalidArgument);
  auto missing = MakeStage<QuantileDiscretizer>("QuantileDiscretizer", {{"inputCol", "q"}, {"outputCol", "b"}});
  EXPECT_THROW(missing->Fit(df, Context::Default(1)), SchemaError);
  auto clash = MakeStage<QuantileDiscretizer>("QuantileDiscretizer", {{"inputCol", "x"}, {"outputCol", "y"}});
  EXPECT_THROW(clash->Fit(df, Context::Default(1)), SchemaError);
  const DataFrame text = DataFrame::Make({"s"}, {MakeStringColumn({"a"})});
  auto on_text = MakeStage<QuantileDiscretizer>("QuantileDiscretizer", {{"inputCol", "s"}, {"outputCol", "b"}});
  EXPECT_THROW(on_text->Fit(text, Context::Default(1)), SchemaError);
}

// KBinsDiscretizer(strategy='quantile') computes np.percentile edges (linear
// interpolation), ember's definition, then drops bins narrower than 1e-8,
// while Spark frames the inner edges by -inf/inf and drops exact repeats.
// So: ember's splits are sklearn's raw percentiles' inner values, deduplicated;
// where sklearn dropped no bin, the buckets equal sklearn's transform; where it
// did, they follow Spark's rule on the same percentiles.
TEST(QuantileDiscretizerTest, MatchesSklearnKBinsDiscretizer) {
  const nlohmann::json golden = testing::LoadGolden("quantile_discretizer.json");
  for (const auto& [key, g] : golden.items()) {
    if (key == "generator") continue;
    const auto cols = g.at("columns").get<std::vector<std::string>>();
    std::vector<ColumnPtr> columns;
    std::vector<std::string> outputs;
    for (size_t j = 0; j < cols.size(); ++j) {
      std::vector<double> v;
      for (const auto& row : g.at("inputs")) v.push_back(row[j].get<double>());
      columns.push_back(MakeColumn(v));
      outputs.push_back(cols[j] + "_bucket");
    }
    const DataFrame df = DataFrame::Make(cols, columns);
    for (int bins : {4, 10}) {
      const auto& gb = g.at(fmt::format("bins_{}", bins));
      auto qd = MakeStage<QuantileDiscretizer>("QuantileDiscretizer",
                                               {{"inputCols", cols}, {"outputCols", outputs}, {"numBuckets", bins}});
      const ModelPtr model = qd->Fit(df, Context::Default(2));
      const auto splits = std::dynamic_pointer_cast<const Bucketizer>(model)->Splits();
      const DataFrame out = model->Transform(df, Context::Default(2));
      for (size_t j = 0; j < cols.size(); ++j) {
        const auto raw = gb.at("raw_edges")[j].get<std::vector<double>>();
        std::vector<double> expected{-kInf};
        for (size_t e = 1; e + 1 < raw.size(); ++e) {
          if (expected.size() == 1 || !Near(raw[e], expected.back(), 1e-12)) expected.push_back(raw[e]);
        }
        expected.push_back(kInf);
        ASSERT_EQ(splits[j].size(), expected.size()) << key << " " << cols[j] << " bins " << bins;
        for (size_t e = 1; e + 1 < expected.size(); ++e) {
          EXPECT_TRUE(Near(splits[j][e], expected[e], 1e-9)) << key << " " << cols[j] << " edge " << e;
        }
        const bool sklearn_kept_all = gb.at("edges")[j].size() == raw.size();
        const auto buckets = Doubles(*out.column(outputs[j]));
        for (size_t r = 0; r < gb.at("head").size(); ++r) {
          double want = gb.at("head")[r][j].get<double>();
          if (!sklearn_kept_all) {
            const double x = df.column(j)->NumericAt(r);
            want = static_cast<double>(std::upper_bound(expected.begin() + 1, expected.end() - 1, x) -
                                       (expected.begin() + 1));
          }
          EXPECT_EQ(buckets[r], want) << key << " " << cols[j] << " row " << r << " bins " << bins;
        }
      }
    }
  }
}

}  // namespace
}  // namespace ember
