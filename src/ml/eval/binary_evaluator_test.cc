#include "ml/eval/binary_evaluator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"

namespace ember {
namespace {

DataFrame Frame(const std::vector<double>& scores, const std::vector<double>& labels,
                const std::vector<double>& weights = {}) {
  std::vector<std::string> names = {"rawPrediction", "label"};
  std::vector<ColumnPtr> columns = {MakeColumn(scores), MakeColumn(labels)};
  if (!weights.empty()) {
    names.push_back("w");
    columns.push_back(MakeColumn(weights));
  }
  return DataFrame::Make(names, std::move(columns));
}

struct Areas {
  double roc, pr, ap;
};

Areas Evaluate(const DataFrame& df, bool weighted = false, int threads = 2) {
  std::map<std::string, ParamValue> p;
  if (weighted) p["weightCol"] = std::string("w");
  const Context ctx = Context::Default(threads);
  p["metricName"] = std::string("areaUnderROC");
  const double roc = BinaryClassificationEvaluator::Make(p).Evaluate(df, ctx);
  p["metricName"] = std::string("areaUnderPR");
  const double pr = BinaryClassificationEvaluator::Make(p).Evaluate(df, ctx);
  p["metricName"] = std::string("averagePrecision");
  const double ap = BinaryClassificationEvaluator::Make(p).Evaluate(df, ctx);
  return {roc, pr, ap};
}

// Each expected value below is worked out by hand from the definitions in
// binary_curve.h (points listed in order of descending score).

TEST(BinaryEvaluatorTest, PerfectClassifier) {
  const Areas a = Evaluate(Frame({0.9, 0.8, 0.3, 0.1}, {1, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(a.roc, 1.0);
  EXPECT_DOUBLE_EQ(a.pr, 1.0);  // (0,1) (.5,1) (1,1) (1,2/3) (1,1/2)
  EXPECT_DOUBLE_EQ(a.ap, 1.0);
}

TEST(BinaryEvaluatorTest, InvertedClassifier) {
  const Areas a = Evaluate(Frame({0.1, 0.2, 0.8, 0.9}, {1, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(a.roc, 0.0);
  // Points (0,0) [Spark's first] (0,0) (0,0) (.5,1/3) (1,1/2).
  EXPECT_DOUBLE_EQ(a.pr, 0.5 * (1.0 / 3) / 2 + 0.5 * (1.0 / 3 + 0.5) / 2);  // 7/24
  EXPECT_DOUBLE_EQ(a.ap, 0.5 / 3 + 0.25);                                   // 5/12
}

TEST(BinaryEvaluatorTest, AllScoresTiedIsOneThreshold) {
  const Areas a = Evaluate(Frame({0.5, 0.5, 0.5, 0.5}, {1, 0, 1, 0}));
  EXPECT_DOUBLE_EQ(a.roc, 0.5);
  EXPECT_DOUBLE_EQ(a.pr, 0.5);  // (0,.5) (1,.5)
  EXPECT_DOUBLE_EQ(a.ap, 0.5);
}

TEST(BinaryEvaluatorTest, TiesBetweenClassesCountHalf) {
  const Areas a = Evaluate(Frame({0.8, 0.6, 0.6, 0.2}, {1, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(a.roc, 3.5 / 4);                       // pairs: 1 + 1 + 1/2 + 1
  EXPECT_DOUBLE_EQ(a.pr, 0.5 + 0.5 * (1 + 2.0 / 3) / 2);  // (0,1) (.5,1) (1,2/3) (1,1/2): 11/12
  EXPECT_DOUBLE_EQ(a.ap, 0.5 + 0.5 * 2.0 / 3);            // 5/6
}

TEST(BinaryEvaluatorTest, NegativeZeroTiesWithZero) {
  const Areas a = Evaluate(Frame({-0.0, 0.0}, {1, 0}));
  EXPECT_DOUBLE_EQ(a.roc, 0.5);
}

TEST(BinaryEvaluatorTest, WeightsScaleRows) {
  const Areas a = Evaluate(Frame({0.9, 0.7, 0.4, 0.2}, {1, 0, 1, 0}, {2, 1, 1, 3}), true);
  EXPECT_DOUBLE_EQ(a.roc, 11.0 / 12);  // P=3, N=4: 2*1 + 2*3 + 1*3 winning pairs
  // (0,1) (2/3,1) (2/3,2/3) (1,3/4) (1,3/7)
  EXPECT_DOUBLE_EQ(a.pr, 2.0 / 3 + (1.0 / 3) * (2.0 / 3 + 0.75) / 2);  // 65/72
  EXPECT_DOUBLE_EQ(a.ap, 2.0 / 3 + 0.25);                              // 11/12
}

TEST(BinaryEvaluatorTest, ZeroWeightTopScoreGivesSparkPrecisionOne) {
  const Areas a = Evaluate(Frame({0.9, 0.5, 0.1}, {0, 1, 0}, {0, 1, 1}), true);
  EXPECT_DOUBLE_EQ(a.roc, 1.0);
  EXPECT_DOUBLE_EQ(a.pr, 1.0);  // (0,1) (0,1) (1,1) (1,1/2)
  EXPECT_DOUBLE_EQ(a.ap, 1.0);
}

TEST(BinaryEvaluatorTest, IntegerWeightsEqualRepeatedRows) {
  std::mt19937_64 rng(7);
  std::vector<double> s, y, w, s_rep, y_rep;
  for (int i = 0; i < 3000; ++i) {
    s.push_back(static_cast<double>(rng() % 40) / 8);
    y.push_back(static_cast<double>(rng() % 3 == 0));
    w.push_back(static_cast<double>(rng() % 4));
    for (int k = 0; k < w.back(); ++k) {
      s_rep.push_back(s.back());
      y_rep.push_back(y.back());
    }
  }
  const Areas weighted = Evaluate(Frame(s, y, w), true);
  const Areas repeated = Evaluate(Frame(s_rep, y_rep));
  EXPECT_NEAR(weighted.roc, repeated.roc, 1e-12);
  EXPECT_NEAR(weighted.pr, repeated.pr, 1e-12);
  EXPECT_NEAR(weighted.ap, repeated.ap, 1e-12);
}

TEST(BinaryEvaluatorTest, VectorRawPredictionUsesEntryOne) {
  const std::vector<double> labels = {1, 0, 1, 0};
  // Entry 0 would rank the rows the other way round.
  const auto dense = MakeDenseVectorColumn(4, 2, {-0.9f, 0.9f, 0.2f, -0.2f, -0.8f, 0.8f, 0.7f, -0.7f});
  const auto sparse =
      MakeSparseVectorColumn(2, {0, 2, 3, 5, 6}, {0, 1, 0, 0, 1, 0}, {-0.9f, 0.9f, 0.2f, -0.8f, 0.8f, 0.7f});
  for (const auto& col : {dense, sparse}) {
    const DataFrame df = DataFrame::Make({"rawPrediction", "label"}, {col, MakeColumn(labels)});
    EXPECT_DOUBLE_EQ(BinaryClassificationEvaluator::Make().Evaluate(df, Context::Default(1)), 1.0)
        << col->type().ToString();
  }
}

TEST(BinaryEvaluatorTest, Float32AndIntegerColumnsAreAccepted) {
  const DataFrame df = DataFrame::Make({"rawPrediction", "label"}, {MakeColumn(std::vector<float>{0.3f, 0.7f, 0.5f}),
                                                                    MakeColumn(std::vector<int32_t>{0, 1, 0})});
  EXPECT_DOUBLE_EQ(BinaryClassificationEvaluator::Make().Evaluate(df, Context::Default(1)), 1.0);
  const DataFrame bools = DataFrame::Make(
      {"rawPrediction", "label"}, {MakeColumn(std::vector<int64_t>{3, 1, 2}), MakeBoolColumn({true, false, false})});
  EXPECT_DOUBLE_EQ(BinaryClassificationEvaluator::Make().Evaluate(bools, Context::Default(1)), 1.0);
}

// A direct O(n log n) implementation of the same definitions, for larger data.
Areas Reference(const std::vector<double>& s, const std::vector<double>& y, const std::vector<double>& w) {
  std::vector<size_t> order(s.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return s[a] > s[b]; });
  double P = 0, N = 0;
  for (size_t i = 0; i < s.size(); ++i) (y[i] == 1 ? P : N) += w[i];
  double tp = 0, fp = 0, roc = 0, pr = 0, ap = 0, prev_r = 0, prev_p = -1;
  for (size_t i = 0; i < order.size();) {
    double pos = 0, neg = 0;
    const double score = s[order[i]];
    for (; i < order.size() && s[order[i]] == score; ++i) (y[order[i]] == 1 ? pos : neg) += w[order[i]];
    roc += neg * (tp + pos / 2);
    tp += pos;
    fp += neg;
    const double r = tp / P, p = tp + fp == 0 ? 1 : tp / (tp + fp);
    if (prev_p < 0) prev_p = p;
    pr += (r - prev_r) * (p + prev_p) / 2;
    ap += (r - prev_r) * p;
    prev_r = r;
    prev_p = p;
  }
  return {roc / (P * N), pr, ap};
}

TEST(BinaryEvaluatorTest, LargeInputMatchesReferenceAndIsThreadCountInvariant) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  const size_t n = 200000;
  std::vector<double> s(n), y(n), w(n);
  for (size_t i = 0; i < n; ++i) {
    y[i] = u(rng) < 0.3;
    // Half the rows share 64 scores (long tie runs across sweep blocks); half are distinct doubles.
    s[i] = i % 2 == 0 ? std::floor(u(rng) * 64) / 64 : u(rng) + 0.2 * y[i];
    w[i] = std::round(u(rng) * 100) / 25;
  }
  const DataFrame df = Frame(s, y, w);
  const auto e = BinaryClassificationEvaluator::Make({{"weightCol", std::string("w")}});
  const BinaryCurveAreas one = e.EvaluateAll(df, Context::Default(1));
  const BinaryCurveAreas two = e.EvaluateAll(df, Context::Default(2));
  EXPECT_EQ(one.area_under_roc, two.area_under_roc);
  EXPECT_EQ(one.area_under_pr, two.area_under_pr);
  EXPECT_EQ(one.average_precision, two.average_precision);
  const Areas ref = Reference(s, y, w);
  EXPECT_NEAR(one.area_under_roc, ref.roc, 1e-12);
  EXPECT_NEAR(one.area_under_pr, ref.pr, 1e-12);
  EXPECT_NEAR(one.average_precision, ref.ap, 1e-12);
}

template <class E>
void ExpectError(const DataFrame& df, const std::map<std::string, ParamValue>& params,
                 const std::vector<std::string>& fragments) {
  try {
    BinaryClassificationEvaluator::Make(params).Evaluate(df, Context::Default(2));
    ADD_FAILURE() << "no error; expected one mentioning " << fragments[0];
  } catch (const E& e) {
    const std::string what = e.what();
    for (const auto& f : fragments) EXPECT_NE(what.find(f), std::string::npos) << what << " lacks '" << f << "'";
  }
}

TEST(BinaryEvaluatorTest, BadInputNamesEvaluatorColumnAndRow) {
  const DataFrame ok = Frame({0.1, 0.2, 0.3, 0.4}, {0, 1, 0, 1}, {1, 1, 1, 1});
  ExpectError<SchemaError>(ok, {{"labelCol", std::string("target")}},
                           {"BinaryClassificationEvaluator", "labelCol", "target"});
  ExpectError<SchemaError>(
      DataFrame::Make({"rawPrediction", "label"}, {MakeColumn(std::vector<double>{0.5}), MakeStringColumn({"yes"})}),
      {}, {"BinaryClassificationEvaluator", "labelCol", "'label'", "numeric"});
  ExpectError<SchemaError>(DataFrame::Make({"rawPrediction", "label"}, {MakeDenseVectorColumn(1, 3, {0.1f, 0.2f, 0.7f}),
                                                                        MakeColumn(std::vector<double>{1})}),
                           {}, {"rawPredictionCol", "vector of 2", "vector[3]"});
  ExpectError<InvalidArgument>(Frame({0.1, 0.2, 0.3, 0.4}, {0, 1, 0, 2}), {},
                               {"labelCol", "label 2", "row 3", "0 or 1"});
  ExpectError<InvalidArgument>(Frame({0.1, NAN, 0.3, 0.4}, {0, 1, 0, 1}), {}, {"rawPredictionCol", "NaN", "row 1"});
  ExpectError<InvalidArgument>(Frame({0.1, 0.2, 0.3, 0.4}, {0, NAN, 0, 1}), {}, {"labelCol", "row 1"});
  ExpectError<InvalidArgument>(Frame({0.1, 0.2, 0.3, 0.4}, {0, 1, 0, 1}, {1, 1, -2, 1}),
                               {{"weightCol", std::string("w")}}, {"weightCol", "negative", "row 2"});
  ExpectError<InvalidArgument>(Frame({0.1, 0.2, 0.3, 0.4}, {0, 1, 0, 1}, {0, 0, 0, 0}),
                               {{"weightCol", std::string("w")}}, {"weightCol", "zero"});
  ExpectError<InvalidArgument>(Frame({0.1, 0.2, 0.3}, {1, 1, 1}), {}, {"areaUnderROC", "undefined", "both classes"});
  ExpectError<InvalidArgument>(Frame({0.1, 0.2}, {0, 0}), {{"metricName", std::string("areaUnderPR")}},
                               {"areaUnderPR", "undefined"});
  ExpectError<InvalidArgument>(Frame({}, {}), {}, {"no rows"});
  const DataFrame nulls = DataFrame::Make(
      {"rawPrediction", "label"},
      {MakeColumn(std::vector<double>{0.1, 0.2, 0.3}), MakeNullableColumn<double>({1.0, std::nullopt, 0.0})});
  ExpectError<InvalidArgument>(nulls, {}, {"labelCol", "null", "row 1"});
  EXPECT_THROW(BinaryClassificationEvaluator::Make({{"metricName", std::string("auc")}}), InvalidArgument);
}

TEST(BinaryEvaluatorTest, PRWithoutNegativesIsDefined) {
  const Areas a = [] {
    const DataFrame df = Frame({0.9, 0.1}, {1, 1});
    return Areas{0,
                 BinaryClassificationEvaluator::Make({{"metricName", std::string("areaUnderPR")}})
                     .Evaluate(df, Context::Default(1)),
                 0};
  }();
  EXPECT_DOUBLE_EQ(a.pr, 1.0);
}

TEST(BinaryEvaluatorTest, AlwaysLargerIsBetter) {
  EXPECT_TRUE(BinaryClassificationEvaluator::Make().IsLargerBetter());
  EXPECT_EQ(BinaryClassificationEvaluator::Make().class_name(), "BinaryClassificationEvaluator");
}

}  // namespace
}  // namespace ember
