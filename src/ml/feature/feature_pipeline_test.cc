// End to end: the feature stages inside a Pipeline, built through the
// registry as a YAML spec would, fitted, saved and loaded as one directory.
#include <gtest/gtest.h>

#include "ml/feature/feature_test_util.h"

namespace ember {
namespace {

using testing::Registry;

TEST(FeaturePipelineTest, IndexEncodeAssembleScaleRoundTrip) {
  const DataFrame df = DataFrame::Make(
      {"city", "income", "age"},
      {MakeNullableStringColumn({"oslo", "rome", "oslo", "lima", std::nullopt, "rome"}),
       MakeNullableColumn<double>({10, std::nullopt, 30, 40, 50, 60}), MakeColumn<int32_t>({20, 30, 40, 50, 60, 70})});
  std::vector<std::shared_ptr<const Stage>> stages;
  stages.push_back(
      Registry().Make("StringIndexer", {{"inputCol", "city"}, {"outputCol", "city_idx"}, {"handleInvalid", "keep"}}));
  stages.push_back(Registry().Make("OneHotEncoder", {{"inputCols", {"city_idx"}}, {"outputCols", {"city_vec"}}}));
  stages.push_back(Registry().Make("Imputer", {{"inputCols", {"income"}}, {"outputCols", {"income_f"}}}));
  stages.push_back(
      Registry().Make("VectorAssembler", {{"inputCols", {"city_vec", "income_f", "age"}}, {"outputCol", "raw"}}));
  stages.push_back(Registry().Make("StandardScaler", {{"inputCol", "raw"}, {"outputCol", "features"}}));
  stages.push_back(
      Registry().Make("QuantileDiscretizer", {{"inputCol", "age"}, {"outputCol", "age_bucket"}, {"numBuckets", 3}}));
  auto pipeline = Pipeline::Make(std::move(stages));
  // Every check runs before any fitting.
  EXPECT_THROW(pipeline->Fit(df.Drop(std::vector<std::string>{"age"}), Context::Default(1)), SchemaError);

  auto model = pipeline->Fit(df, Context::Default(2));
  const DataFrame out = model->Transform(df, Context::Default(1));
  // Labels oslo, rome (2 each), lima, plus the kept null: 4 categories, last dropped -> 3; + income + age.
  EXPECT_EQ(out.schema().field(out.schema().IndexOf("features")).type, DataType::SparseVector(5));
  EXPECT_EQ(testing::Doubles(*out.column("income_f"))[1], 38);  // mean of 10, 30, 40, 50, 60
  EXPECT_EQ(testing::Doubles(*out.column("age_bucket")), (std::vector<double>{0, 0, 1, 1, 2, 2}));

  testing::TempDir dir;
  SaveStage(*model, dir / "model");
  auto loaded = LoadStageAs<PipelineModel>(Registry(), dir / "model");
  EXPECT_EQ(testing::FrameText(loaded->Transform(df, Context::Default(1))), testing::FrameText(out));
  testing::ExpectSameFromTwoThreads(*loaded, df);
  // The unfitted pipeline round-trips too.
  SaveStage(*pipeline, dir / "pipeline");
  auto refit = LoadStageAs<Pipeline>(Registry(), dir / "pipeline")->Fit(df, Context::Default(1));
  EXPECT_EQ(testing::FrameText(refit->Transform(df, Context::Default(1))), testing::FrameText(out));
}

}  // namespace
}  // namespace ember
