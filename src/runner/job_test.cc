#include "runner/job.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/hash.h"
#include "io/table_io.h"
#include "ml/builtin/builtin_stages.h"
#include "ml/eval/binary_evaluator.h"
#include "ml/pipeline/persistence.h"
#include "runner/runner_test_util.h"

namespace ember::runner {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::TempDir;
using testing::ToySpec;
using testing::WriteToyCsv;

Context TestContext() { return Context::Default(2); }

RunSpec SpecIn(const TempDir& dir, const std::string& text, const std::vector<std::string>& overrides = {}) {
  WriteFileAtomically(dir / "spec.yaml", text);
  return LoadSpec(dir / "spec.yaml", overrides);
}

RunOptions Options(const std::string& store, bool cache = false) {
  RunOptions o;
  o.store = store;
  o.use_cache = cache;
  return o;
}

/// Every file of a saved model with metadata.json's timestamp blanked.
std::map<std::string, std::string> ModelFiles(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string bytes = ReadFileToString(e.path().string());
    if (e.path().filename() == "metadata.json") {
      nlohmann::json meta = nlohmann::json::parse(bytes);
      meta.erase("timestamp");
      bytes = meta.dump();
    }
    files[fs::relative(e.path(), dir).string()] = bytes;
  }
  return files;
}

TEST(JobTest, RunsEndToEndAndRecordsEverything) {
  TempDir dir;
  WriteToyCsv(dir / "toy.csv", 400, 1);
  const RunSpec spec = SpecIn(dir, ToySpec("toy.csv", "register: {name: toy-model, alias: champion}"));
  const RunResult result = RunJob(spec, Options(dir / "store"), TestContext());

  EXPECT_EQ(result.run.status, track::RunStatus::kFinished);
  EXPECT_EQ(result.task, Task::kBinary);
  track::TrackingStore store = track::TrackingStore::Open(dir / "store");
  const auto params = store.Params(result.run.run_id);
  EXPECT_EQ(params.at("pipeline.3.stage"), "LogisticRegression");
  EXPECT_EQ(params.at("pipeline.3.regParam"), "0.01");
  EXPECT_EQ(params.at("pipeline.3.labelCol"), "label");
  EXPECT_EQ(params.at("label.positive"), "yes");
  EXPECT_EQ(params.at("seed"), "11");

  const auto inputs = store.Inputs(result.run.run_id);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].fingerprint, HexDigest(FingerprintFile(dir / "toy.csv")));
  EXPECT_EQ(inputs[0].rows, 400);
  EXPECT_EQ(inputs[0].size_bytes, fs::file_size(dir / "toy.csv"));

  const auto tags = store.Tags(result.run.run_id);
  EXPECT_EQ(tags.at("ember.spec.hash"), HexDigest(Hash64(spec.canonical)));
  EXPECT_EQ(tags.at("ember.task"), "binary");

  // The recorded test AUC is the evaluator's on the saved model's scores of
  // the stratified split (100 test rows: round(0.25 x each class)).
  const auto metrics = store.LatestMetrics(result.run.run_id);
  ASSERT_TRUE(metrics.count("test_areaUnderROC"));
  EXPECT_GT(metrics.at("test_areaUnderROC"), 0.7);
  EXPECT_DOUBLE_EQ(metrics.at("test_areaUnderROC"), result.test_metrics.at("areaUnderROC"));
  EXPECT_TRUE(metrics.count("train_accuracy"));
  const auto loss = store.MetricHistory(result.run.run_id, "train_loss");
  ASSERT_GT(loss.size(), 2u);
  EXPECT_EQ(loss[0].step, 0);
  EXPECT_GE(loss[0].value, loss.back().value);

  const auto model = LoadStageAs<PipelineModel>(BuiltinStages(), result.model_dir);
  EXPECT_EQ(model->stages().size(), 4u);
  EXPECT_TRUE(fs::exists(fs::path(result.model_dir).parent_path() / "spec.yaml"));
  const std::string report = ReadFileToString(result.report_path);
  EXPECT_THAT(report, HasSubstr("roc-curve"));
  EXPECT_THAT(report, HasSubstr("pipeline-diagram"));

  ASSERT_TRUE(result.registered.has_value());
  EXPECT_EQ(result.registered->version, 1);
  EXPECT_EQ(store.ResolveModelUri("models:/toy-model@champion"), result.model_dir);
}

TEST(JobTest, SameSpecDataAndSeedGiveIdenticalModelBytes) {
  TempDir dir;
  WriteToyCsv(dir / "toy.csv", 300, 2);
  const RunSpec spec = SpecIn(dir, ToySpec("toy.csv"));
  const RunResult a = RunJob(spec, Options(dir / "store_a"), TestContext());
  const RunResult b = RunJob(spec, Options(dir / "store_b"), Context::Default(1));
  EXPECT_EQ(ModelFiles(a.model_dir), ModelFiles(b.model_dir));
  const RunResult c = RunJob(SpecIn(dir, ToySpec("toy.csv"), {"seed=12"}), Options(dir / "store_c"), TestContext());
  EXPECT_NE(ModelFiles(a.model_dir), ModelFiles(c.model_dir));  // another split
}

TEST(JobTest, ChangingOnlyTheLastStageReusesTheEarlierOnes) {
  TempDir dir;
  WriteToyCsv(dir / "toy.csv", 300, 3);
  const RunResult first = RunJob(SpecIn(dir, ToySpec("toy.csv")), Options(dir / "store", true), TestContext());
  for (const StageOutcome& s : first.stages) EXPECT_FALSE(s.reused);

  const RunResult second =
      RunJob(SpecIn(dir, ToySpec("toy.csv"), {"pipeline.3.regParam=0.5"}), Options(dir / "store", true), TestContext());
  ASSERT_EQ(second.stages.size(), 4u);
  EXPECT_TRUE(second.stages[0].reused);
  EXPECT_TRUE(second.stages[1].reused);
  EXPECT_TRUE(second.stages[2].reused);
  EXPECT_FALSE(second.stages[3].reused);
  track::TrackingStore store = track::TrackingStore::Open(dir / "store");
  EXPECT_EQ(store.Tags(second.run.run_id).at("ember.stage.0.reused"), "true");
  EXPECT_EQ(store.Tags(second.run.run_id).at("ember.stage.3.reused"), "false");

  // Same model as without the cache.
  const RunResult uncached =
      RunJob(SpecIn(dir, ToySpec("toy.csv"), {"pipeline.3.regParam=0.5"}), Options(dir / "other"), TestContext());
  EXPECT_EQ(ModelFiles(second.model_dir), ModelFiles(uncached.model_dir));

  // Changing the data invalidates every stage.
  WriteToyCsv(dir / "toy.csv", 300, 4);
  const RunResult third = RunJob(SpecIn(dir, ToySpec("toy.csv")), Options(dir / "store", true), TestContext());
  for (const StageOutcome& s : third.stages) EXPECT_FALSE(s.reused);
}

TEST(JobTest, AFailingRunEndsFailedWithItsError) {
  TempDir dir;
  WriteToyCsv(dir / "toy.csv", 50, 5, "red,green,blue", "yes");
  const RunSpec spec = SpecIn(dir, ToySpec("toy.csv"));
  try {
    RunJob(spec, Options(dir / "store"), TestContext());
    FAIL() << "a one-class label must fail";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("single class"));
  }
  track::TrackingStore store = track::TrackingStore::Open(dir / "store");
  const auto runs = store.ListRuns({});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, track::RunStatus::kFailed);
  EXPECT_THAT(runs[0].error, HasSubstr("single class"));
}

TEST(JobTest, AMissingColumnIsReportedBeforeAnyRunStarts) {
  TempDir dir;
  WriteToyCsv(dir / "toy.csv", 50, 6);
  std::string text = ToySpec("toy.csv");
  text.replace(text.find("[x1, x2, color_vec]"), 19, "[x1, x3, color_vec]");
  const RunSpec spec = SpecIn(dir, text);
  try {
    RunJob(spec, Options(dir / "store"), TestContext());
    FAIL() << "x3 does not exist";
  } catch (const SchemaError& e) {
    EXPECT_THAT(e.what(), HasSubstr("spec.yaml:14: pipeline stage 2 (VectorAssembler)"));
    EXPECT_THAT(e.what(), HasSubstr("x3"));
  }
  EXPECT_FALSE(fs::exists(dir / "store"));

  text = ToySpec("toy.csv");
  text.replace(text.find("column: label"), 13, "column: labl");
  try {
    CheckSpecAgainstData(SpecIn(dir, text), TestContext());
    FAIL() << "labl does not exist";
  } catch (const SchemaError& e) {
    EXPECT_THAT(e.what(), HasSubstr("label column 'labl' is not in"));
    EXPECT_THAT(e.what(), HasSubstr("did you mean 'label'?"));
  }
}

TEST(JobTest, AnUnseenTestCategoryFollowsHandleInvalid) {
  TempDir dir;
  WriteToyCsv(dir / "train.csv", 200, 7, "red,green");
  WriteToyCsv(dir / "test.csv", 60, 8, "red,green,violet");
  std::string text = ToySpec("train.csv");
  text.replace(text.find("split: {test: 0.25, stratify: true}"), 35, "test: test.csv");
  try {
    RunJob(SpecIn(dir, text), Options(dir / "store"), TestContext());
    FAIL() << "violet was never seen in training";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("violet"));
  }
  const RunResult kept = RunJob(SpecIn(dir, text, {"pipeline.0.handleInvalid=keep"}), Options(dir / "store"),
                                TestContext());
  EXPECT_EQ(kept.run.status, track::RunStatus::kFinished);
}

}  // namespace
}  // namespace ember::runner
