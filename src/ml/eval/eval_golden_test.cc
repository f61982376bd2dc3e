// Checks the evaluators against golden values computed by scikit-learn
// (tests/golden/eval/*.json, written by scripts/golden/eval_golden.py).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ml/eval/binary_evaluator.h"
#include "ml/eval/multiclass_evaluator.h"
#include "ml/eval/regression_evaluator.h"

namespace ember {
namespace {

using nlohmann::json;

json LoadGolden(const std::string& name) {
  const std::string path = std::string(EMBER_TEST_DATA_DIR) + "/../golden/eval/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return json::parse(in);
}

// Equal to within `rel` of the expected magnitude (absolute near zero).
void ExpectClose(double actual, double expected, double rel, const std::string& what) {
  EXPECT_NEAR(actual, expected, rel * std::max(1.0, std::abs(expected))) << what;
}

std::vector<double> Doubles(const json& j) { return j.get<std::vector<double>>(); }

// Columns built one by one (an initializer list followed by push_back trips a
// false -Warray-bounds in GCC 12).
struct Columns {
  std::vector<std::string> names;
  std::vector<ColumnPtr> columns;
  void Add(std::string name, ColumnPtr column) {
    names.push_back(std::move(name));
    columns.push_back(std::move(column));
  }
  DataFrame Frame() const { return DataFrame::Make(names, columns); }
};

TEST(EvalGoldenTest, BinaryMatchesSklearn) {
  const json doc = LoadGolden("binary.json");
  ASSERT_FALSE(doc["cases"].empty());
  for (const json& c : doc["cases"]) {
    const std::string name = c["name"];
    const std::vector<double> scores = Doubles(c["score"]);
    ColumnPtr score_col = MakeColumn(scores);
    if (c["score_type"] == "float32") score_col = MakeColumn(std::vector<float>(scores.begin(), scores.end()));
    Columns cols;
    cols.Add("rawPrediction", score_col);
    cols.Add("label", MakeColumn(c["label"].get<std::vector<int32_t>>()));
    std::map<std::string, ParamValue> params;
    if (!c["weight"].is_null()) {
      cols.Add("weight", MakeColumn(Doubles(c["weight"])));
      params["weightCol"] = std::string("weight");
    }
    const DataFrame df = cols.Frame();
    for (const char* metric : {"areaUnderROC", "areaUnderPR", "averagePrecision"}) {
      params["metricName"] = std::string(metric);
      const double v = BinaryClassificationEvaluator::Make(params).Evaluate(df, Context::Default(2));
      EXPECT_NEAR(v, c["expected"][metric].get<double>(), 1e-9) << name << " " << metric;
    }
  }
}

TEST(EvalGoldenTest, MulticlassMatchesSklearn) {
  const json doc = LoadGolden("multiclass.json");
  for (const json& c : doc["cases"]) {
    const std::string name = c["name"];
    Columns cols;
    cols.Add("label", MakeColumn(Doubles(c["label"])));
    cols.Add("prediction", MakeColumn(Doubles(c["prediction"])));
    std::map<std::string, ParamValue> params;
    if (!c["weight"].is_null()) {
      cols.Add("weight", MakeColumn(Doubles(c["weight"])));
      params["weightCol"] = std::string("weight");
    }
    if (!c["probability"].is_null()) {
      const auto rows = c["probability"].get<std::vector<std::vector<double>>>();
      std::vector<float> flat;
      for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
      cols.Add("probability", MakeDenseVectorColumn(rows.size(), static_cast<int32_t>(rows[0].size()), flat));
    }
    const DataFrame df = cols.Frame();
    for (const auto& [metric, expected] : c["expected"].items()) {
      params["metricName"] = metric;
      const double v = MulticlassClassificationEvaluator::Make(params).Evaluate(df, Context::Default(2));
      ExpectClose(v, expected.get<double>(), 1e-9, name + " " + metric);
    }
    const MulticlassReport r = MulticlassClassificationEvaluator::Make(params).Report(df, Context::Default(2));
    ASSERT_EQ(r.labels, Doubles(c["labels"])) << name;
    const auto confusion = c["confusion"].get<std::vector<std::vector<double>>>();
    for (size_t a = 0; a < r.num_labels(); ++a) {
      for (size_t p = 0; p < r.num_labels(); ++p) ExpectClose(r.ConfusionAt(a, p), confusion[a][p], 1e-12, name);
      ExpectClose(r.per_label[a].precision, c["precision_by_label"][a].get<double>(), 1e-9, name + " precision");
      ExpectClose(r.per_label[a].recall, c["recall_by_label"][a].get<double>(), 1e-9, name + " recall");
      ExpectClose(r.per_label[a].f1, c["f1_by_label"][a].get<double>(), 1e-9, name + " f1");
    }
  }
}

TEST(EvalGoldenTest, RegressionMatchesSklearn) {
  const json doc = LoadGolden("regression.json");
  for (const json& c : doc["cases"]) {
    const std::string name = c["name"];
    Columns cols;
    cols.Add("label", MakeColumn(Doubles(c["label"])));
    cols.Add("prediction", MakeColumn(Doubles(c["prediction"])));
    std::map<std::string, ParamValue> params;
    if (!c["weight"].is_null()) {
      cols.Add("weight", MakeColumn(Doubles(c["weight"])));
      params["weightCol"] = std::string("weight");
    }
    const DataFrame df = cols.Frame();
    for (const char* metric : {"mse", "rmse", "mae", "r2", "var"}) {
      params["metricName"] = std::string(metric);
      const double v = RegressionEvaluator::Make(params).Evaluate(df, Context::Default(2));
      ExpectClose(v, c["expected"][metric].get<double>(), 1e-9, name + " " + metric);
    }
    params["metricName"] = std::string("r2");
    params["throughOrigin"] = true;
    ExpectClose(RegressionEvaluator::Make(params).Evaluate(df, Context::Default(2)),
                c["expected"]["r2_through_origin"].get<double>(), 1e-9, name + " r2 throughOrigin");
  }
}

}  // namespace
}  // namespace ember
