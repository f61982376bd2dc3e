#include "ml/builtin/builtin_stages.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ember {
namespace {

TEST(BuiltinStagesTest, EveryStageHasParamsAndAWayToBeBuiltOrLoaded) {
  const StageRegistry& r = BuiltinStages();
  const auto names = r.names();
  for (const char* expected : {"Pipeline", "PipelineModel", "LogisticRegression", "LogisticRegressionModel",
                               "LinearRegression", "StandardScaler", "StringIndexer", "OneHotEncoder"}) {
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
