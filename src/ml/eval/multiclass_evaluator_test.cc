#include "ml/eval/multiclass_evaluator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"

namespace ember {
namespace {

// The 3-class case worked out by hand (rows actual, columns predicted):
//   actual 0: [3, 1, 0]  support 4
//   actual 1: [0, 2, 2]  support 4
//   actual 2: [1, 0, 1]  support 2
// predicted totals 4, 3, 3; tp 3, 2, 1; fp 1, 1, 2; total 10, correct 6.
DataFrame ThreeClassFrame() {
  const int counts[3][3] = {{3, 1, 0}, {0, 2, 2}, {1, 0, 1}};
  std::vector<int32_t> labels;
  std::vector<double> predictions;
  for (int a = 0; a < 3; ++a) {
    for (int p = 0; p < 3; ++p) {
      for (int k = 0; k < counts[a][p]; ++k) {
        labels.push_back(a);
        predictions.push_back(p);
      }
    }
  }
  return DataFrame::Make({"label", "prediction"}, {MakeColumn(labels), MakeColumn(predictions)});
}

double Metric(const DataFrame& df, const std::string& name, std::map<std::string, ParamValue> extra = {}) {
  extra["metricName"] = name;
  return MulticlassClassificationEvaluator::Make(extra).Evaluate(df, Context::Default(2));
}

TEST(MulticlassEvaluatorTest, ThreeClassHandComputedMetrics) {
  const DataFrame df = ThreeClassFrame();
  EXPECT_DOUBLE_EQ(Metric(df, "accuracy"), 0.6);
  EXPECT_DOUBLE_EQ(Metric(df, "hammingLoss"), 0.4);
  // precision 3/4, 2/3, 1/3; recall 3/4, 1/2, 1/2; F1 3/4, 4/7, 2/5
  EXPECT_DOUBLE_EQ(Metric(df, "weightedPrecision"), 19.0 / 30);
  EXPECT_DOUBLE_EQ(Metric(df, "weightedRecall"), 0.6);
  EXPECT_DOUBLE_EQ(Metric(df, "weightedTruePositiveRate"), 0.6);
  EXPECT_DOUBLE_EQ(Metric(df, "f1"), 213.0 / 350);
  EXPECT_DOUBLE_EQ(Metric(df, "weightedFMeasure"), 213.0 / 350);
  // fpr 1/6, 1/6, 2/8
  EXPECT_DOUBLE_EQ(Metric(df, "weightedFalsePositiveRate"), 11.0 / 60);
  EXPECT_DOUBLE_EQ(Metric(df, "precisionByLabel", {{"metricLabel", 1.0}}), 2.0 / 3);
  EXPECT_DOUBLE_EQ(Metric(df, "recallByLabel", {{"metricLabel", 1.0}}), 0.5);
  EXPECT_DOUBLE_EQ(Metric(df, "truePositiveRateByLabel", {{"metricLabel", 2.0}}), 0.5);
  EXPECT_DOUBLE_EQ(Metric(df, "falsePositiveRateByLabel", {{"metricLabel", 2.0}}), 0.25);
  EXPECT_DOUBLE_EQ(Metric(df, "fMeasureByLabel", {{"metricLabel", 1.0}}), 4.0 / 7);
  // beta 2 for label 2: 5 * (1/3)(1/2) / (4/3 + 1/2) = 5/11
  EXPECT_DOUBLE_EQ(Metric(df, "fMeasureByLabel", {{"metricLabel", 2.0}, {"beta", 2.0}}), 5.0 / 11);
}

TEST(MulticlassEvaluatorTest, ReportHasConfusionMatrixAndPerLabelRows) {
  const MulticlassReport r = MulticlassClassificationEvaluator::Make().Report(ThreeClassFrame(), Context::Default(1));
  ASSERT_EQ(r.labels, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(r.confusion, (std::vector<double>{3, 1, 0, 0, 2, 2, 1, 0, 1}));
  EXPECT_DOUBLE_EQ(r.total_weight, 10);
  EXPECT_DOUBLE_EQ(r.per_label[2].support, 2);
  EXPECT_DOUBLE_EQ(r.per_label[2].predicted, 3);
  EXPECT_DOUBLE_EQ(r.per_label[2].true_positive, 1);
  EXPECT_DOUBLE_EQ(r.per_label[2].false_positive, 2);
  EXPECT_DOUBLE_EQ(r.per_label[0].f1, 0.75);
  EXPECT_DOUBLE_EQ(r.per_label[1].false_positive_rate, 1.0 / 6);
}

TEST(MulticlassEvaluatorTest, PredictedOnlyLabelIsInMatrixButNotInAverages) {
  const DataFrame df = DataFrame::Make({"label", "prediction"}, {MakeColumn(std::vector<double>{0, 0, 1, 1}),
                                                                 MakeColumn(std::vector<double>{0, 5, 1, 1})});
  const MulticlassReport r = MulticlassClassificationEvaluator::Make().Report(df, Context::Default(1));
  ASSERT_EQ(r.labels, (std::vector<double>{0, 1, 5}));
  EXPECT_DOUBLE_EQ(r.per_label[2].precision, 0.0);
  EXPECT_DOUBLE_EQ(r.per_label[2].recall, 0.0);
  // precision 1, 1; recall 1/2, 1; F1 2/3, 1; supports 2, 2
  EXPECT_DOUBLE_EQ(Metric(df, "weightedPrecision"), 1.0);
  EXPECT_DOUBLE_EQ(Metric(df, "f1"), (2.0 / 3 + 1) / 2);
  EXPECT_DOUBLE_EQ(Metric(df, "precisionByLabel", {{"metricLabel", 5.0}}), 0.0);
}

TEST(MulticlassEvaluatorTest, WeightsScaleRows) {
  // Weighted rows equal repeated rows: (0->0) x2, (0->1) x1, (1->1) x3.
  const DataFrame weighted =
      DataFrame::Make({"label", "prediction", "w"},
                      {MakeColumn(std::vector<double>{0, 0, 1, 1}), MakeColumn(std::vector<double>{0, 1, 1, 0}),
                       MakeColumn(std::vector<double>{2, 1, 3, 0})});
  const DataFrame repeated = DataFrame::Make(
      {"label", "prediction"},
      {MakeColumn(std::vector<double>{0, 0, 0, 1, 1, 1}), MakeColumn(std::vector<double>{0, 0, 1, 1, 1, 1})});
  for (const char* m : {"f1", "accuracy", "weightedPrecision", "weightedFalsePositiveRate", "hammingLoss"}) {
    EXPECT_DOUBLE_EQ(Metric(weighted, m, {{"weightCol", std::string("w")}}), Metric(repeated, m)) << m;
  }
  EXPECT_DOUBLE_EQ(Metric(repeated, "accuracy"), 5.0 / 6);
}

TEST(MulticlassEvaluatorTest, LogLossClipsAtEpsAndWeights) {
  const auto probs = MakeDenseVectorColumn(4, 3, {0.5f, 0.25f, 0.25f, 0.1f, 0.8f, 0.1f, 0.f, 0.f, 1.f, 0.f, 1.f, 0.f});
  const DataFrame df = DataFrame::Make(
      {"label", "probability", "w"},
      {MakeColumn(std::vector<double>{0, 1, 2, 0}), probs, MakeColumn(std::vector<double>{1, 1, 1, 2})});
  const double p1 = static_cast<double>(0.8f);
  const double unweighted = (-std::log(0.5) - std::log(p1) - 0 - std::log(1e-15)) / 4;
  EXPECT_DOUBLE_EQ(Metric(df, "logLoss"), unweighted);
  const double weighted = (-std::log(0.5) - std::log(p1) - 2 * std::log(1e-15)) / 5;
  EXPECT_DOUBLE_EQ(Metric(df, "logLoss", {{"weightCol", std::string("w")}}), weighted);
  EXPECT_DOUBLE_EQ(Metric(df, "logLoss", {{"eps", 1e-3}}), (-std::log(0.5) - std::log(p1) - std::log(1e-3)) / 4);
  const auto sparse = MakeSparseVectorColumn(3, {0, 1, 2}, {0, 2}, {0.5f, 0.25f});
  const DataFrame sdf = DataFrame::Make({"label", "probability"}, {MakeColumn(std::vector<double>{0, 2}), sparse});
  EXPECT_DOUBLE_EQ(Metric(sdf, "logLoss"), (-std::log(0.5) - std::log(0.25)) / 2);
}

TEST(MulticlassEvaluatorTest, LargerIsBetterFollowsSpark) {
  for (const char* m : {"f1", "accuracy", "weightedPrecision", "recallByLabel", "fMeasureByLabel"}) {
    EXPECT_TRUE(MulticlassClassificationEvaluator::Make({{"metricName", std::string(m)}}).IsLargerBetter()) << m;
  }
  for (const char* m : {"weightedFalsePositiveRate", "falsePositiveRateByLabel", "logLoss", "hammingLoss"}) {
    EXPECT_FALSE(MulticlassClassificationEvaluator::Make({{"metricName", std::string(m)}}).IsLargerBetter()) << m;
  }
}

TEST(MulticlassEvaluatorTest, ThreadCountDoesNotChangeResults) {
  std::vector<double> y, p, w;
  for (int i = 0; i < 100000; ++i) {
    y.push_back(i % 7);
    p.push_back((i * 31 + i / 3) % 7);
    w.push_back(0.1 + (i % 13) * 0.37);
  }
  const DataFrame df = DataFrame::Make({"label", "prediction", "w"}, {MakeColumn(y), MakeColumn(p), MakeColumn(w)});
  const auto e = MulticlassClassificationEvaluator::Make({{"weightCol", std::string("w")}});
  const MulticlassReport one = e.Report(df, Context::Default(1));
  const MulticlassReport two = e.Report(df, Context::Default(2));
  EXPECT_EQ(one.confusion, two.confusion);
  EXPECT_EQ(one.weighted_f1, two.weighted_f1);
}

template <class E>
void ExpectError(const DataFrame& df, std::map<std::string, ParamValue> params,
                 const std::vector<std::string>& fragments) {
  try {
    MulticlassClassificationEvaluator::Make(params).Evaluate(df, Context::Default(2));
    ADD_FAILURE() << "no error; expected one mentioning " << fragments[0];
  } catch (const E& e) {
    const std::string what = e.what();
    for (const auto& f : fragments) EXPECT_NE(what.find(f), std::string::npos) << what << " lacks '" << f << "'";
  }
}

TEST(MulticlassEvaluatorTest, BadInputIsReported) {
  const DataFrame df = ThreeClassFrame();
  ExpectError<SchemaError>(df, {{"predictionCol", std::string("pred")}},
                           {"MulticlassClassificationEvaluator", "predictionCol", "pred"});
  ExpectError<InvalidArgument>(df, {{"metricName", std::string("precisionByLabel")}, {"metricLabel", 7.0}},
                               {"metricLabel 7", "0, 1, 2"});
  ExpectError<SchemaError>(df, {{"metricName", std::string("logLoss")}}, {"probabilityCol", "probability"});
  const DataFrame nan = DataFrame::Make(
      {"label", "prediction"}, {MakeColumn(std::vector<double>{0, 1}), MakeColumn(std::vector<double>{0, NAN})});
  ExpectError<InvalidArgument>(nan, {}, {"predictionCol", "row 1"});
  const DataFrame bad_label =
      DataFrame::Make({"label", "probability"},
                      {MakeColumn(std::vector<double>{0, 2.5}), MakeDenseVectorColumn(2, 3, {1, 0, 0, 0, 0, 1})});
  ExpectError<InvalidArgument>(bad_label, {{"metricName", std::string("logLoss")}},
                               {"labelCol", "2.5", "row 1", "0..2"});
  std::vector<double> many(5000);
  for (size_t i = 0; i < many.size(); ++i) many[i] = i * 0.5;
  const DataFrame regression = DataFrame::Make({"label", "prediction"}, {MakeColumn(many), MakeColumn(many)});
  ExpectError<InvalidArgument>(regression, {}, {"distinct", "regression"});
  EXPECT_THROW(MulticlassClassificationEvaluator::Make({{"eps", 0.7}}), InvalidArgument);
}

}  // namespace
}  // namespace ember
