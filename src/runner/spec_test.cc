#include "runner/spec.h"

#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "ml/builtin/builtin_stages.h"

namespace ember::runner {
namespace {

using ::testing::HasSubstr;

const char* kSpec = R"(name: churn
seed: 7
data:
  train: data/train.csv
  split: {test: 0.25, stratify: true}
label: {column: churn, positive: "Yes"}
pipeline:
  - stage: StringIndexer
    inputCols: [contract]
    outputCols: [contract_idx]
  - stage: VectorAssembler
    inputCols: [tenure, contract_idx]
    outputCol: features
  - stage: GBTClassifier
    maxDepth: 3
    stepSize: 0.2
evaluate:
  metrics: [areaUnderROC, accuracy]
tracking: {experiment: churn-exp}
register: {name: churn-model, alias: champion}
)";

std::string ErrorOf(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    ParseSpec(text, "spec.yaml", "/base", overrides);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(SpecTest, ReadsEverySection) {
  const RunSpec spec = ParseSpec(kSpec, "spec.yaml", "/base", {});
  EXPECT_EQ(spec.name, "churn");
  EXPECT_EQ(spec.seed, 7u);
  EXPECT_EQ(spec.data.train, "/base/data/train.csv");
  EXPECT_TRUE(spec.data.test.empty());
  EXPECT_DOUBLE_EQ(spec.data.test_fraction, 0.25);
  EXPECT_TRUE(spec.data.stratify);
  EXPECT_EQ(spec.label.column, "churn");
  EXPECT_EQ(spec.label.positive, "Yes");
  ASSERT_EQ(spec.pipeline.size(), 3u);
  EXPECT_EQ(spec.pipeline[2].stage, "GBTClassifier");
  EXPECT_EQ(spec.pipeline[2].params["maxDepth"], 3);
  EXPECT_EQ(spec.pipeline[2].params["stepSize"], 0.2);
  EXPECT_EQ(spec.pipeline[2].location.line, 14);
  EXPECT_EQ(spec.pipeline[2].param_locations.at("stepSize").line, 16);
  EXPECT_EQ(spec.metrics, (std::vector<std::string>{"areaUnderROC", "accuracy"}));
  EXPECT_EQ(spec.tracking.experiment, "churn-exp");
  EXPECT_EQ(spec.register_model.name, "churn-model");
  EXPECT_EQ(spec.register_model.alias, "champion");
}

TEST(SpecTest, UnknownKeyNamesLineAndSuggestion) {
  std::string text = kSpec;
  text.replace(text.find("evaluate:"), 9, "evalute:");
  EXPECT_THAT(ErrorOf(text), HasSubstr("spec.yaml:17:1: unknown key 'evalute' in the spec; did you mean 'evaluate'?"));
  text = kSpec;
  text.replace(text.find("stratify"), 8, "stratfy");
  EXPECT_THAT(ErrorOf(text), HasSubstr("spec.yaml:5:"));
  EXPECT_THAT(ErrorOf(text), HasSubstr("did you mean 'stratify'?"));
}

TEST(SpecTest, UnknownStageAndParamPointAtTheirLines) {
  std::string text = kSpec;
  text.replace(text.find("GBTClassifier"), 13, "GBTClasifier");
  EXPECT_THAT(ErrorOf(text), HasSubstr("spec.yaml:14:"));
  EXPECT_THAT(ErrorOf(text), HasSubstr("unknown stage 'GBTClasifier'; did you mean 'GBTClassifier'?"));
  text = kSpec;
  text.replace(text.find("maxDepth"), 8, "maxDept");
  EXPECT_THAT(ErrorOf(text), HasSubstr("spec.yaml:15:"));
  EXPECT_THAT(ErrorOf(text), HasSubstr("did you mean 'maxDepth'?"));
  text = kSpec;
  text.replace(text.find("maxDepth: 3"), 11, "maxDepth: -3");
  EXPECT_THAT(ErrorOf(text), HasSubstr("spec.yaml:15:"));
  EXPECT_THAT(ErrorOf(text), HasSubstr("GBTClassifier: maxDepth must be in [0, 30], got -3"));
}

TEST(SpecTest, MalformedYamlGivesItsPosition) {
  EXPECT_THAT(ErrorOf("data:\n  train: [a, b\nlabel: x\n"), HasSubstr("spec.yaml:"));
  EXPECT_THAT(ErrorOf("- just\n- a list\n"), HasSubstr("a run spec is a YAML mapping"));
}

TEST(SpecTest, MissingSectionsAndBadValues) {
  EXPECT_THAT(ErrorOf("label: y\npipeline: [{stage: Binarizer, inputCol: a, outputCol: b}]\n"),
              HasSubstr("needs a 'data:' section"));
  std::string text = kSpec;
  text.replace(text.find("test: 0.25"), 10, "test: 1.5");
  EXPECT_THAT(ErrorOf(text), HasSubstr("data.split.test must be a number between 0 and 1"));
  text = kSpec;
  text.replace(text.find("accuracy]"), 9, "acuracy]");
  EXPECT_THAT(ErrorOf(text), HasSubstr("unknown metric 'acuracy'; did you mean 'accuracy'?"));
}

TEST(SpecTest, EnvironmentSubstitution) {
  ::setenv("EMBER_SPEC_TEST_DEPTH", "6", 1);
  ::unsetenv("EMBER_SPEC_TEST_UNSET");
  std::string text = kSpec;
  text.replace(text.find("maxDepth: 3"), 11, "maxDepth: ${EMBER_SPEC_TEST_DEPTH}");
  EXPECT_EQ(ParseSpec(text, "spec.yaml", "", {}).pipeline[2].params["maxDepth"], 6);
  text = kSpec;
  text.replace(text.find("maxDepth: 3"), 11, "maxDepth: ${EMBER_SPEC_TEST_UNSET:-4}");
  EXPECT_EQ(ParseSpec(text, "spec.yaml", "", {}).pipeline[2].params["maxDepth"], 4);
  text = kSpec;
  text.replace(text.find("maxDepth: 3"), 11, "maxDepth: ${EMBER_SPEC_TEST_UNSET}");
  EXPECT_THAT(ErrorOf(text), HasSubstr("spec.yaml:15:15: environment variable 'EMBER_SPEC_TEST_UNSET' is not set"));
}

TEST(SpecTest, OverridesReplaceValuesAndAreNamedInErrors) {
  const RunSpec spec = ParseSpec(kSpec, "spec.yaml", "", {"pipeline.2.maxDepth=8", "data.split.test=0.5",
                                                          "tracking.experiment=other"});
  EXPECT_EQ(spec.pipeline[2].params["maxDepth"], 8);
  EXPECT_EQ(spec.pipeline[2].param_locations.at("maxDepth").file, "--set pipeline.2.maxDepth=8");
  EXPECT_DOUBLE_EQ(spec.data.test_fraction, 0.5);
  EXPECT_EQ(spec.tracking.experiment, "other");
  EXPECT_THAT(ErrorOf(kSpec, {"pipeline.2.maxDepth=-1"}), HasSubstr("--set pipeline.2.maxDepth=-1: "));
  EXPECT_THAT(ErrorOf(kSpec, {"pipeline.9.maxDepth=3"}), HasSubstr("is a list of 3 items"));
  EXPECT_THAT(ErrorOf(kSpec, {"no-equals"}), HasSubstr("expected KEY=VALUE"));
  EXPECT_THAT(ErrorOf(kSpec, {"seed.x=1"}), HasSubstr("is a single value"));
}

TEST(SpecTest, CanonicalTextReflectsOverrides) {
  const RunSpec a = ParseSpec(kSpec, "spec.yaml", "", {});
  const RunSpec b = ParseSpec(kSpec, "spec.yaml", "", {"pipeline.2.maxDepth=8"});
  EXPECT_NE(a.canonical, b.canonical);
  EXPECT_EQ(a.canonical, ParseSpec(kSpec, "spec.yaml", "", {}).canonical);
}

}  // namespace
}  // namespace ember::runner
