// ROC, precision-recall and calibration points on a hand-computed example and
// against scikit-learn (tests/golden/report/curves.json, written by
// scripts/golden/report_golden.py); downsampling and subsampling contracts.
#include "report/curves.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"

namespace ember::report {
namespace {

using nlohmann::json;

// Ten rows with ties at 0.8 and 0.4 (one positive and one negative each).
// P = N = 5. Thresholds, descending, with cumulative (tp, fp):
//   0.9 (1,0) 0.8 (2,1) 0.6 (3,1) 0.55 (3,2) 0.4 (4,3) 0.3 (4,4) 0.2 (5,4) 0.1 (5,5)
const std::vector<double> kScores = {0.9, 0.8, 0.8, 0.6, 0.55, 0.4, 0.4, 0.3, 0.2, 0.1};
const std::vector<double> kLabels = {1, 1, 0, 1, 0, 1, 0, 0, 1, 0};

TEST(CurvesTest, RocPointsByHand) {
  const std::vector<CurvePoint> roc = RocPoints(SweepThresholds(kScores, kLabels, {}));
  const std::vector<std::pair<double, double>> expected = {{0, 0},     {0, 0.2},   {0.2, 0.4}, {0.2, 0.6}, {0.4, 0.6},
                                                           {0.6, 0.8}, {0.8, 0.8}, {0.8, 1},   {1, 1}};
  ASSERT_EQ(roc.size(), expected.size());
  for (size_t k = 0; k < roc.size(); ++k) {
    EXPECT_NEAR(roc[k].x, expected[k].first, 1e-15) << k;
    EXPECT_NEAR(roc[k].y, expected[k].second, 1e-15) << k;
  }
  EXPECT_TRUE(std::isinf(roc[0].threshold));
  EXPECT_EQ(roc[2].threshold, 0.8);
  // Pairs (positive above negative) + half the tied pairs: (5 + 4.5 + 4 + 2.5 + 1) / 25.
  EXPECT_NEAR(TrapezoidArea(roc), 17.0 / 25.0, 1e-15);
}

TEST(CurvesTest, PrecisionRecallPointsByHand) {
  const std::vector<CurvePoint> pr = PrecisionRecallPoints(SweepThresholds(kScores, kLabels, {}));
  const std::vector<std::pair<double, double>> expected = {{0, 1},         {0.2, 1},       {0.4, 2.0 / 3},
                                                           {0.6, 3.0 / 4}, {0.6, 3.0 / 5}, {0.8, 4.0 / 7},
                                                           {0.8, 4.0 / 8}, {1, 5.0 / 9},   {1, 5.0 / 10}};
  ASSERT_EQ(pr.size(), expected.size());
  for (size_t k = 0; k < pr.size(); ++k) {
    EXPECT_NEAR(pr[k].x, expected[k].first, 1e-15) << k;
    EXPECT_NEAR(pr[k].y, expected[k].second, 1e-15) << k;
  }
  // 0.2 * (1 + 2/3 + 3/4 + 4/7 + 5/9) = 893 / 1260.
  EXPECT_NEAR(AveragePrecision(pr), 893.0 / 1260.0, 1e-15);
}

TEST(CurvesTest, CalibrationBinsByHand) {
  // Bin of each score (edges i/10, a score on an inner edge goes to the lower
  // bin): 0.1->0, 0.2->1, 0.3->2, 0.4,0.4->3, 0.55,0.6->5, 0.8,0.8->7, 0.9->8.
  const std::vector<CalibrationBin> bins = CalibrationBins(kScores, kLabels, {}, 10);
  struct Expected {
    double lo, mean, fraction, weight;
  };
  const std::vector<Expected> expected = {{0.0, 0.1, 0, 1},   {0.1, 0.2, 1, 1},     {0.2, 0.3, 0, 1},
                                          {0.3, 0.4, 0.5, 2}, {0.5, 0.575, 0.5, 2}, {0.7, 0.8, 0.5, 2},
                                          {0.8, 0.9, 1, 1}};
  ASSERT_EQ(bins.size(), expected.size());
  for (size_t b = 0; b < bins.size(); ++b) {
    EXPECT_NEAR(bins[b].lo, expected[b].lo, 1e-12) << b;
    EXPECT_NEAR(bins[b].hi, expected[b].lo + 0.1, 1e-12) << b;
    EXPECT_NEAR(bins[b].mean_predicted, expected[b].mean, 1e-12) << b;
    EXPECT_EQ(bins[b].fraction_positive, expected[b].fraction) << b;
    EXPECT_EQ(bins[b].weight, expected[b].weight) << b;
  }
}

TEST(CurvesTest, WeightsScaleRows) {
  // Weight 2 on a row counts as that row twice.
  const std::vector<double> scores = {0.9, 0.7, 0.4, 0.2}, labels = {1, 0, 1, 0}, weights = {2, 1, 1, 3};
  const std::vector<double> rep_scores = {0.9, 0.9, 0.7, 0.4, 0.2, 0.2, 0.2}, rep_labels = {1, 1, 0, 1, 0, 0, 0};
  const std::vector<CurvePoint> a = RocPoints(SweepThresholds(scores, labels, weights));
  const std::vector<CurvePoint> b = RocPoints(SweepThresholds(rep_scores, rep_labels, {}));
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_DOUBLE_EQ(a[k].x, b[k].x);
    EXPECT_DOUBLE_EQ(a[k].y, b[k].y);
  }
}

TEST(CurvesTest, OneClassGivesNoRoc) {
  const std::vector<double> scores = {0.2, 0.4}, zeros = {0, 0}, ones = {1, 1};
  EXPECT_TRUE(RocPoints(SweepThresholds(scores, zeros, {})).empty());
  EXPECT_TRUE(RocPoints(SweepThresholds(scores, ones, {})).empty());
  EXPECT_TRUE(PrecisionRecallPoints(SweepThresholds(scores, zeros, {})).empty());
  EXPECT_EQ(PrecisionRecallPoints(SweepThresholds(scores, ones, {})).size(), 3u);
}

TEST(CurvesTest, MismatchedLengthsThrow) {
  const std::vector<double> two = {0.1, 0.2}, three = {0, 1, 0};
  EXPECT_THROW(SweepThresholds(two, three, {}), InvalidArgument);
  EXPECT_THROW(SweepThresholds(two, two, three), InvalidArgument);
  EXPECT_THROW(CalibrationBins(two, three, {}, 10), InvalidArgument);
}

json LoadGolden() {
  const std::string path = std::string(EMBER_TEST_DATA_DIR) + "/../golden/report/curves.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return json::parse(in);
}

TEST(CurvesGoldenTest, MatchesScikitLearn) {
  const json golden = LoadGolden();
  ASSERT_GE(golden["cases"].size(), 3u);
  for (const json& c : golden["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const auto scores = c["scores"].get<std::vector<double>>();
    const auto labels = c["labels"].get<std::vector<double>>();
    const auto weights = c["weights"].get<std::vector<double>>();
    const ThresholdSweep sweep = SweepThresholds(scores, labels, weights);

    const std::vector<CurvePoint> roc = RocPoints(sweep);
    const auto fpr = c["roc_fpr"].get<std::vector<double>>(), tpr = c["roc_tpr"].get<std::vector<double>>();
    const auto roc_thresholds = c["roc_thresholds"].get<std::vector<double>>();
    ASSERT_EQ(roc.size(), fpr.size());
    for (size_t k = 0; k < roc.size(); ++k) {
      EXPECT_NEAR(roc[k].x, fpr[k], 1e-12) << k;
      EXPECT_NEAR(roc[k].y, tpr[k], 1e-12) << k;
      if (k > 0) {
        EXPECT_EQ(roc[k].threshold, roc_thresholds[k - 1]) << k;
      }
    }
    EXPECT_NEAR(TrapezoidArea(roc), c["roc_auc"].get<double>(), 1e-12);

    const std::vector<CurvePoint> pr = PrecisionRecallPoints(sweep);
    const auto recall = c["pr_recall"].get<std::vector<double>>();
    const auto precision = c["pr_precision"].get<std::vector<double>>();
    ASSERT_EQ(pr.size(), recall.size());
    for (size_t k = 0; k < pr.size(); ++k) {
      EXPECT_NEAR(pr[k].x, recall[k], 1e-12) << k;
      EXPECT_NEAR(pr[k].y, precision[k], 1e-12) << k;
    }
    EXPECT_NEAR(AveragePrecision(pr), c["average_precision"].get<double>(), 1e-12);

    if (c.contains("calibration_mean_predicted")) {
      const std::vector<CalibrationBin> bins = CalibrationBins(scores, labels, weights, 10);
      const auto mean = c["calibration_mean_predicted"].get<std::vector<double>>();
      const auto fraction = c["calibration_fraction_positive"].get<std::vector<double>>();
      ASSERT_EQ(bins.size(), mean.size());
      for (size_t b = 0; b < bins.size(); ++b) {
        EXPECT_NEAR(bins[b].mean_predicted, mean[b], 1e-12) << b;
        EXPECT_NEAR(bins[b].fraction_positive, fraction[b], 1e-12) << b;
      }
    }
  }
}

TEST(CurvesTest, DownsampleKeepsEndsAndShape) {
  // 10,001 points on the concave curve y = sqrt(x): no three are collinear.
  std::vector<CurvePoint> points;
  for (int i = 0; i <= 10000; ++i) points.push_back({i / 10000.0, std::sqrt(i / 10000.0), 0});
  const std::vector<CurvePoint> small = DownsampleCurve(points, 500);
  ASSERT_EQ(small.size(), 500u);
  EXPECT_EQ(small.front().x, 0);
  EXPECT_EQ(small.back().x, 1);
  for (size_t k = 1; k < small.size(); ++k) EXPECT_LT(small[k - 1].x, small[k].x);
  // Area of sqrt over [0, 1] is 2/3; the polyline stays within pixel error.
  EXPECT_NEAR(TrapezoidArea(small), 2.0 / 3.0, 1e-3);
}

TEST(CurvesTest, DownsampleDropsCollinearPointsFirst) {
  // A staircase of straight runs: only the corners matter.
  std::vector<CurvePoint> points;
  for (int i = 0; i <= 100; ++i) points.push_back({0, i / 100.0, 0});
  for (int i = 1; i <= 100; ++i) points.push_back({i / 100.0, 1, 0});
  const std::vector<CurvePoint> small = DownsampleCurve(points, 500);
  ASSERT_EQ(small.size(), 3u);
  EXPECT_EQ(small[1].x, 0);
  EXPECT_EQ(small[1].y, 1);
  // Going back along the same line (a reversal) is not collinear-dropped.
  const std::vector<CurvePoint> zigzag = {{0, 0, 0}, {1, 0, 0}, {0.5, 0, 0}};
  EXPECT_EQ(DownsampleCurve(zigzag, 500).size(), 3u);
}

TEST(CurvesTest, SubsampleRowsIsEvenAndBounded) {
  const std::vector<size_t> all = SubsampleRows(5, 2000);
  EXPECT_EQ(all, (std::vector<size_t>{0, 1, 2, 3, 4}));
  const std::vector<size_t> rows = SubsampleRows(10007, 2000);
  ASSERT_EQ(rows.size(), 2000u);
  EXPECT_EQ(rows.front(), 0u);
  for (size_t j = 1; j < rows.size(); ++j) {
    EXPECT_LT(rows[j - 1], rows[j]);
    EXPECT_EQ(rows[j], j * 10007 / 2000);
  }
  EXPECT_LT(rows.back(), 10007u);
}

TEST(CurvesTest, HistogramCountsEveryFiniteValue) {
  const std::vector<double> values = {0, 1, 2, 3, 4, 10, NAN};
  const Histogram h = MakeHistogram(values, 5);  // bins of width 2 over [0, 10]
  EXPECT_EQ(h.lo, 0);
  EXPECT_EQ(h.hi, 10);
  EXPECT_EQ(h.counts, (std::vector<double>{2, 2, 1, 0, 1}));
  EXPECT_EQ(h.clamped, 0u);
}

TEST(CurvesTest, HistogramTailsGoToEndBins) {
  // 0..199 and one outlier at 10000; tail 0.005 of 201 values: ranks
  // floor(0.005 * 200) = 1 and ceil(0.995 * 200) = 199, i.e. [1, 199].
  std::vector<double> values;
  for (int i = 0; i < 200; ++i) values.push_back(i);
  values.push_back(10000);
  const Histogram h = MakeHistogram(values, 4, 0.005);
  EXPECT_EQ(h.lo, 1);
  EXPECT_EQ(h.hi, 199);
  EXPECT_EQ(h.clamped, 2u);  // 0 and 10000
  // Bins of width 49.5: [1, 50.5) holds 0..50 (51 values with the clamped 0),
  // [50.5, 100) 51..99, [100, 149.5) 100..149, [149.5, 199] 150..199 + 10000.
  EXPECT_EQ(h.counts, (std::vector<double>{51, 49, 50, 51}));
}

}  // namespace
}  // namespace ember::report
