#include "ml/builtin/builtin_stages.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ember {
namespace {

TEST(BuiltinStagesTest, EveryStageHasParamsAndAWayToBeBuiltOrLoaded) {
  const StageRegistry& r = BuiltinStages();
  const auto names = r.names();
  for (const char* expected : {"Pipeline", "PipelineModel", "LogisticRegression", "LogisticRegressionModel",
                               "LinearRegression", "StandardScaler", "StringIndexer", "OneHotEncoder",
                               "GBTClassifier", "RandomForestClassifier", "DecisionTreeRegressor"}) {
    EXPECT_NE(r.Find(expected), nullptr) << expected;
  }
  for (const std::string& name : names) {
    const StageType& t = r.Get(name);
    EXPECT_NE(t.params, nullptr) << name;
    EXPECT_TRUE(t.make || t.load) << name;
    EXPECT_FALSE(t.params->Describe().empty());
  }
  EXPECT_THROW(r.Get("LogisticRegresion"), NotFound);
}

}  // namespace
}  // namespace ember

// Writes seed inputs for stage_loader_fuzz (metadata.json, NUL, one array)
// when EMBER_WRITE_FUZZ_SEEDS names a directory; otherwise does nothing.
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "ml/pipeline/persistence.h"

namespace ember {
namespace {

TEST(StageLoaderFuzzSeeds, Write) {
  const char* out = std::getenv("EMBER_WRITE_FUZZ_SEEDS");
  if (out == nullptr) GTEST_SKIP() << "set EMBER_WRITE_FUZZ_SEEDS=DIR to write seeds";
  const StageRegistry& r = BuiltinStages();
  const DataFrame df = DataFrame::Make(
      {"features", "label"}, {MakeDenseVectorColumn(4, 2, {0, 1, 1, 0, 2, 2, 3, 1}), MakeColumn<double>({0, 1, 0, 1})});
  std::vector<std::pair<std::string, std::shared_ptr<const Stage>>> stages;
  stages.emplace_back("lr", dynamic_cast<const Estimator&>(*r.Make("LogisticRegression", {})).Fit(df, Context::Default(1)));
  stages.emplace_back("scaler",
                      dynamic_cast<const Estimator&>(*r.Make("StandardScaler", {{"inputCol", "features"},
                                                                                {"outputCol", "scaled"}}))
                          .Fit(df, Context::Default(1)));
  for (const auto& [name, stage] : stages) {
    const std::string dir = std::filesystem::temp_directory_path() / ("ember-seed-" + name);
    SaveStage(*stage, dir, SaveMode::kOverwrite);
    const std::string meta = ReadFileToString(dir + "/metadata.json");
    const auto j = nlohmann::json::parse(meta);
    std::string array;
    if (!j["arrays"].empty()) array = ReadFileToString(dir + "/" + j["arrays"].begin().value()["file"].get<std::string>());
    WriteFileAtomically(std::string(out) + "/" + name + ".seed", meta + std::string(1, '\0') + array);
    std::filesystem::remove_all(dir);
  }
  EXPECT_TRUE(std::filesystem::exists(std::string(out) + "/lr.seed"));
}

}  // namespace
}  // namespace ember
