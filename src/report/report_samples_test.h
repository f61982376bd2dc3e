// Sample reports shared by the report tests: a binary, a multiclass and a
// regression run with every field filled, built from a fixed pseudo-random
// sequence (no randomness between runs).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "report/run_report.h"

namespace ember::report::samples {

/// A column name that would run script if it were not escaped.
inline const std::string kHostileName = "<script>alert(1)</script>";

/// Uniform in [0, 1) from a 64-bit LCG step.
inline double NextUniform(uint64_t& state) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<double>(state >> 11) * 0x1.0p-53;
}

inline std::vector<StageBox> SamplePipeline(const std::string& estimator) {
  return {
      {"StringIndexer", "StringIndexer_4a1c", {"plan", kHostileName}, {"plan_idx", "region_idx"}, true},
      {"OneHotEncoder", "OneHotEncoder_77d0", {"plan_idx", "region_idx"}, {"plan_vec", "region_vec"}, true},
      {"VectorAssembler",
       "VectorAssembler_0b3e",
       {"tenure", "monthly_charges", "total_charges", "plan_vec", "region_vec", "support_calls", "age",
        "contract_months", "late_payments", "devices", "streaming_hours", "discount", "referrals"},
       {"features"},
       false},
      {estimator, estimator + "_9f21", {"features", "label"}, {"prediction", "probability", "rawPrediction"}, true},
  };
}

inline void FillCommon(RunReport& r) {
  r.lineage = {{"input.train.path", "/data/churn.csv"},
               {"input.train.xxhash64", "9c1e5f0a27d4b3e8"},
               {"spec.hash", "4f6a0d3e9b2c7a15"},
               {"ember.version", "0.1.0"},
               {"seed", "42"},
               {kHostileName, "value with <b>markup</b> & \"quotes\""}};
  r.loss_history.push_back({"train", {}});
  r.loss_history.push_back({"validation", {}});
  for (int i = 0; i < 60; ++i) {
    r.loss_history[0].values.push_back(0.25 + 0.45 * std::exp(-i / 12.0));
    r.loss_history[1].values.push_back(0.3 + 0.4 * std::exp(-i / 10.0) + 0.0006 * i);
  }
  const char* features[] = {"tenure",          "monthly_charges", "total_charges", "support_calls",   "age",
                            "contract_months", "late_payments",   "devices",       "streaming_hours", "discount",
                            "referrals",       "plan_vec_0",      "plan_vec_1",    "plan_vec_2",      "region_vec_0",
                            "region_vec_1",    "region_vec_2",    "region_vec_3",  "region_vec_4",    "region_vec_5",
                            "region_vec_6",    "region_vec_7"};
  for (size_t i = 0; i < std::size(features); ++i) {
    r.feature_importance.push_back({features[i], 1.0 / (1.0 + i * 0.6)});
  }
  r.feature_importance.push_back({kHostileName, 0.05});
}

inline RunReport BinarySample() {
  RunReport r;
  r.title = "churn: GBTClassifier";
  r.run_id = "3f2a9c1d0b7e4a55";
  r.task = "binary";
  r.metrics = {{"areaUnderROC", 0.9123, 0.8871},
               {"areaUnderPR", 0.8012, 0.7655},
               {"accuracy", 0.8843, 0.861},
               {"logLoss", std::nullopt, 0.3312},
               {kHostileName, 1, 2}};
  FillCommon(r);
  r.pipeline = SamplePipeline("GBTClassifier");
  uint64_t state = 7;
  for (int i = 0; i < 600; ++i) {
    const double label = NextUniform(state) < 0.3 ? 1 : 0;
    const double z = (label ? 0.9 : -0.9) + 1.1 * (NextUniform(state) + NextUniform(state) - 1) * 1.7;
    r.scores.push_back(std::round(1000.0 / (1 + std::exp(-z))) / 1000.0);  // ties on a 0.001 grid
    r.labels.push_back(label);
  }
  r.class_names = {"stayed", "churned"};
  r.confusion.assign(2, std::vector<double>(2, 0));
  for (size_t i = 0; i < r.scores.size(); ++i) r.confusion[r.labels[i] ? 1 : 0][r.scores[i] >= 0.5 ? 1 : 0] += 1;
  return r;
}

inline RunReport MulticlassSample() {
  RunReport r;
  r.title = "hpc: RandomForestClassifier";
  r.run_id = "a0c4e1";
  r.task = "multiclass";
  r.metrics = {{"accuracy", 0.91, 0.84}, {"f1", 0.90, 0.83}};
  r.class_names = {"VF", "F", "M", kHostileName};
  r.confusion = {{140, 12, 3, 0}, {20, 80, 9, 1}, {2, 11, 40, 4}, {0, 1, 6, 17}};
  r.pipeline = SamplePipeline("RandomForestClassifier");
  return r;
}

inline RunReport RegressionSample(size_t rows = 5000) {
  RunReport r;
  r.title = "ames: GBTRegressor";
  r.run_id = "77b1d2e9";
  r.task = "regression";
  r.metrics = {{"rmse", 18250.5, 24780.25}, {"mae", 12001.2, 16002.9}, {"r2", 0.95, 0.9}};
  FillCommon(r);
  r.pipeline = SamplePipeline("GBTRegressor");
  uint64_t state = 11;
  for (size_t i = 0; i < rows; ++i) {
    const double actual = 60000 + 340000 * NextUniform(state) * NextUniform(state) + 20000 * NextUniform(state);
    r.actual.push_back(actual);
    r.predicted.push_back(actual + (NextUniform(state) - 0.5) * 0.25 * actual);
  }
  return r;
}

}  // namespace ember::report::samples
