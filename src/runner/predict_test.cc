#include "runner/predict.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "io/table_io.h"
#include "ml/builtin/builtin_stages.h"
#include "ml/pipeline/persistence.h"
#include "runner/job.h"
#include "runner/runner_test_util.h"

namespace ember::runner {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

/// Fits the toy spec once and returns the saved model directory.
std::string FitToyModel(const TempDir& dir) {
  testing::WriteToyCsv(dir / "toy.csv", 300, 21);
  WriteFileAtomically(dir / "spec.yaml", testing::ToySpec("toy.csv"));
  RunOptions options;
  options.store = dir / "store";
  options.use_cache = false;
  return RunJob(LoadSpec(dir / "spec.yaml", {}), options, Context::Default(2)).model_dir;
}

TEST(PredictTest, StreamingInBatchesGivesTheWholeFramePredictions) {
  TempDir dir;
  const std::string model_dir = FitToyModel(dir);
  testing::WriteToyCsv(dir / "score.csv", 53, 22);
  const Context ctx = Context::Default(2);

  PredictOptions options{model_dir, dir / "score.csv", dir / "out.csv", 7};
  const PredictResult result = Predict(options, ctx);
  EXPECT_EQ(result.rows, 53);

  const auto model = LoadStageAs<Model>(BuiltinStages(), model_dir);
  const DataFrame whole = model->Transform(ReadTable(dir / "score.csv", {}, ctx), ctx);
  const DataFrame out = ReadTable(dir / "out.csv", {}, ctx);
  ASSERT_EQ(out.num_rows(), 53u);
  EXPECT_EQ(out.schema().names(), (std::vector<std::string>{"x1", "x2", "color", "label", "prediction",
                                                            "probability_0", "probability_1"}));
  for (size_t i = 0; i < 53; ++i) {
    EXPECT_EQ(out.column("prediction")->NumericAt(i), whole.column("prediction")->NumericAt(i)) << i;
    EXPECT_NEAR(out.column("probability_1")->NumericAt(i), whole.column("probability")->DenseRow(i)[1], 1e-7) << i;
  }

  // .ember output holds the same rows.
  options.output = dir / "out.ember";
  Predict(options, ctx);
  EXPECT_EQ(ReadTable(dir / "out.ember", {}, ctx).num_rows(), 53u);
}

TEST(PredictTest, AMissingColumnIsNamedAndNothingIsWritten) {
  TempDir dir;
  const std::string model_dir = FitToyModel(dir);
  WriteFileAtomically(dir / "bad.csv", "x1,color\n0.5,red\n");
  try {
    Predict({model_dir, dir / "bad.csv", dir / "out.csv", 100}, Context::Default(1));
    FAIL() << "x2 is missing";
  } catch (const SchemaError& e) {
    EXPECT_THAT(e.what(), HasSubstr("x2"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "out.csv"));
}

}  // namespace
}  // namespace ember::runner
