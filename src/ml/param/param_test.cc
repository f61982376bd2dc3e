#include "ml/param/param.h"

#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace ember {
namespace {

const ParamTable& Table() {
  static const ParamTable table = [] {
    ParamTable t("GBTClassifier");
    t.Int("maxDepth", 5, "maximum depth of a tree", 0)
        .Double("stepSize", 0.1, "learning rate", 0.0, 1.0, /*min_inclusive=*/false)
        .Bool("bootstrap", true, "sample rows with replacement")
        .String("impurity", "gini", "split criterion", {"gini", "entropy"})
        .StringList("inputCols", std::nullopt, "input columns")
        .DoubleList("thresholds", std::nullopt, "per-class thresholds", 0.0);
    return t;
  }();
  return table;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ParamTest, DefaultsAndExplicitValues) {
  ParamMap p(Table());
  EXPECT_EQ(p.GetInt("maxDepth"), 5);
  EXPECT_FALSE(p.IsSet("maxDepth"));
  p.Set("maxDepth", int64_t{8});
  EXPECT_TRUE(p.IsSet("maxDepth"));
  EXPECT_EQ(p.GetInt("maxDepth"), 8);
  p.Set("stepSize", int64_t{1});  // an int where a double is declared
  EXPECT_EQ(p.GetDouble("stepSize"), 1.0);
  EXPECT_EQ(ErrorOf([&] { p.GetStringList("inputCols"); }),
            "GBTClassifier: param 'inputCols' must be set (input columns)");
}

TEST(ParamTest, ValidationMessages) {
  ParamMap p(Table());
  EXPECT_EQ(ErrorOf([&] { p.Set("maxDepth", int64_t{-3}); }), "GBTClassifier: maxDepth must be >= 0, got -3");
  EXPECT_EQ(ErrorOf([&] { p.Set("maxDept", int64_t{3}); }),
            "unknown param 'maxDept' for GBTClassifier; did you mean 'maxDepth'? (valid params: maxDepth, stepSize, "
            "bootstrap, impurity, inputCols, thresholds)");
  EXPECT_EQ(ErrorOf([&] { p.Set("stepSize", 0.0); }), "GBTClassifier: stepSize must be in (0, 1], got 0");
  EXPECT_EQ(ErrorOf([&] { p.Set("impurity", std::string("ginni")); }),
            "GBTClassifier: impurity must be one of 'gini', 'entropy', got 'ginni'; did you mean 'gini'?");
  EXPECT_EQ(ErrorOf([&] { p.Set("maxDepth", 2.5); }), "GBTClassifier: maxDepth must be an integer, got 2.5");
  EXPECT_EQ(ErrorOf([&] { p.Set("bootstrap", std::string("yes")); }),
            "GBTClassifier: bootstrap must be a bool, got 'yes'");
}

TEST(ParamTest, CopyWithOverridesLeavesOriginal) {
  ParamMap p(Table());
  p.Set("maxDepth", int64_t{3});
  ParamMap q = p.Copy({{"maxDepth", int64_t{7}}, {"impurity", std::string("entropy")}});
  EXPECT_EQ(p.GetInt("maxDepth"), 3);
  EXPECT_EQ(q.GetInt("maxDepth"), 7);
  EXPECT_EQ(q.GetString("impurity"), "entropy");
  EXPECT_THROW(p.Copy({{"nope", int64_t{1}}}), InvalidArgument);
}

TEST(ParamTest, JsonRoundTripIncludingNonFinite) {
  ParamMap p(Table());
  p.SetFromJson(nlohmann::json::parse(
      R"({"maxDepth": 4, "inputCols": ["a", "b"], "thresholds": [0.5, "Infinity"], "stepSize": 0.25})"));
  const nlohmann::json j = p.ExplicitToJson();
  EXPECT_EQ(j["thresholds"][1], "Infinity");
  ParamMap q(Table());
  q.SetFromJson(nlohmann::json::parse(j.dump()));
  EXPECT_EQ(q.GetInt("maxDepth"), 4);
  EXPECT_EQ(q.GetStringList("inputCols"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(std::isinf(q.GetDoubleList("thresholds")[1]));
  EXPECT_EQ(q.GetDouble("stepSize"), 0.25);
  EXPECT_FALSE(q.IsSet("impurity"));
  EXPECT_EQ(q.AllToJson()["impurity"], "gini");
  EXPECT_THROW(q.SetFromJson(nlohmann::json::parse(R"({"maxDepth": "deep"})")), InvalidArgument);
  EXPECT_THROW(q.SetFromJson(nlohmann::json::parse("[1, 2]")), InvalidArgument);
}

TEST(ParamTest, DescribeListsEveryParam) {
  const std::string d = Table().Describe();
  EXPECT_NE(d.find("maxDepth"), std::string::npos);
  EXPECT_NE(d.find("default 5"), std::string::npos);
  EXPECT_NE(d.find("(required)"), std::string::npos);
  EXPECT_NE(d.find("must be one of 'gini', 'entropy'"), std::string::npos);
}

}  // namespace
}  // namespace ember
