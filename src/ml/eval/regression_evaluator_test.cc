#include "ml/eval/regression_evaluator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"

namespace ember {
namespace {

double Metric(const DataFrame& df, const std::string& name, std::map<std::string, ParamValue> extra = {}) {
  extra["metricName"] = name;
  return RegressionEvaluator::Make(extra).Evaluate(df, Context::Default(2));
}

// y = 1 2 3 4, f = 1.5 2 2 5: errors -0.5 0 1 -1, ybar = 2.5.
DataFrame HandFrame() {
  return DataFrame::Make({"label", "prediction"},
                         {MakeColumn(std::vector<double>{1, 2, 3, 4}), MakeColumn(std::vector<float>{1.5f, 2, 2, 5})});
}

TEST(RegressionEvaluatorTest, HandComputedMetrics) {
  const DataFrame df = HandFrame();
  EXPECT_DOUBLE_EQ(Metric(df, "mse"), 2.25 / 4);
  EXPECT_DOUBLE_EQ(Metric(df, "rmse"), 0.75);
  EXPECT_DOUBLE_EQ(Metric(df, "mae"), 2.5 / 4);
  EXPECT_DOUBLE_EQ(Metric(df, "r2"), 1 - 2.25 / 5);                              // SStot = 2.25 + .25 + .25 + 2.25
  EXPECT_DOUBLE_EQ(Metric(df, "var"), 7.75 / 4);                                 // (1 + .25 + .25 + 6.25) / 4
  EXPECT_DOUBLE_EQ(Metric(df, "r2", {{"throughOrigin", true}}), 1 - 2.25 / 30);  // sum y^2 = 30
}

TEST(RegressionEvaluatorTest, WeightsEqualRepeatedRows) {
  const DataFrame weighted =
      DataFrame::Make({"label", "prediction", "w"},
                      {MakeColumn(std::vector<double>{1, 2, 3, 4}), MakeColumn(std::vector<double>{1.5, 2, 2, 5}),
                       MakeColumn(std::vector<double>{1, 2, 0, 3})});
  const DataFrame repeated = DataFrame::Make(
      {"label", "prediction"},
      {MakeColumn(std::vector<double>{1, 2, 2, 4, 4, 4}), MakeColumn(std::vector<double>{1.5, 2, 2, 5, 5, 5})});
  for (const char* m : {"mse", "rmse", "mae", "r2", "var"}) {
    EXPECT_DOUBLE_EQ(Metric(weighted, m, {{"weightCol", std::string("w")}}), Metric(repeated, m)) << m;
  }
}

TEST(RegressionEvaluatorTest, PerfectPredictionAndLargerIsBetter) {
  const DataFrame df = DataFrame::Make(
      {"label", "prediction"}, {MakeColumn(std::vector<int64_t>{1, 5, 9}), MakeColumn(std::vector<int32_t>{1, 5, 9})});
  EXPECT_DOUBLE_EQ(Metric(df, "rmse"), 0);
  EXPECT_DOUBLE_EQ(Metric(df, "r2"), 1);
  EXPECT_FALSE(RegressionEvaluator::Make().IsLargerBetter());
  EXPECT_FALSE(RegressionEvaluator::Make({{"metricName", std::string("mae")}}).IsLargerBetter());
  EXPECT_TRUE(RegressionEvaluator::Make({{"metricName", std::string("r2")}}).IsLargerBetter());
  EXPECT_TRUE(RegressionEvaluator::Make({{"metricName", std::string("var")}}).IsLargerBetter());
}

TEST(RegressionEvaluatorTest, ThreadCountDoesNotChangeResults) {
  std::vector<double> y, f, w;
  for (int i = 0; i < 200000; ++i) {
    y.push_back(std::sin(i * 0.01) * 10 + 3);
    f.push_back(std::cos(i * 0.013) * 9 + 3);
    w.push_back(0.5 + (i % 5) * 0.3);
  }
  const DataFrame df = DataFrame::Make({"label", "prediction", "w"}, {MakeColumn(y), MakeColumn(f), MakeColumn(w)});
  const auto e = RegressionEvaluator::Make({{"weightCol", std::string("w")}, {"metricName", std::string("r2")}});
  EXPECT_EQ(e.Evaluate(df, Context::Default(1)), e.Evaluate(df, Context::Default(2)));
}

TEST(RegressionEvaluatorTest, BadInputIsReported) {
  const DataFrame inf = DataFrame::Make(
      {"label", "prediction"}, {MakeColumn(std::vector<double>{1, INFINITY}), MakeColumn(std::vector<double>{1, 2})});
  try {
    RegressionEvaluator::Make().Evaluate(inf, Context::Default(1));
    ADD_FAILURE() << "no error";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("RegressionEvaluator: labelCol column 'label' has inf at row 1"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(RegressionEvaluator::Make({{"labelCol", std::string("y")}}).Evaluate(HandFrame(), Context::Default(1)),
               SchemaError);
  EXPECT_THROW(RegressionEvaluator::Make({{"metricName", std::string("rmsle")}}), InvalidArgument);
}

}  // namespace
}  // namespace ember
