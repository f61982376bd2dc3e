#include "runner/report_data.h"

#include <set>

#include "ml/eval/multiclass_evaluator.h"
#include "runner/model_insights.h"

namespace ember::runner {
namespace {

std::vector<double> NumericValues(const Column& column) {
  std::vector<double> out(column.length());
  for (size_t i = 0; i < column.length(); ++i) out[i] = column.NumericAt(i);
  return out;
}

/// Entry `index` of each row of a dense vector column.
std::vector<double> VectorEntry(const Column& column, size_t index) {
  std::vector<double> out(column.length());
  for (size_t i = 0; i < column.length(); ++i) out[i] = column.DenseRow(i)[index];
  return out;
}

std::vector<std::string> ParamColumns(const Stage& stage, std::initializer_list<const char*> names) {
  std::vector<std::string> out;
  for (const char* name : names) {
    const ParamSpec* spec = stage.params().table().Find(name);
    if (spec == nullptr || !stage.params().HasValue(name)) continue;
    const ParamValue& v = stage.params().Value(name);
    if (const auto* s = std::get_if<std::string>(&v)) out.push_back(*s);
    if (const auto* list = std::get_if<std::vector<std::string>>(&v)) out.insert(out.end(), list->begin(), list->end());
  }
  return out;
}

}  // namespace

report::RunReport MakeRunReport(const ReportInputs& in, const Context& ctx) {
  report::RunReport r;
  r.title = in.title;
  r.run_id = in.run_id;
  r.task = std::string(TaskName(in.task));
  std::set<std::string> names;
  for (const auto& [k, v] : in.test_metrics) names.insert(k);
  for (const auto& [k, v] : in.train_metrics) names.insert(k);
  for (const std::string& name : names) {
    report::MetricRow row{name, {}, {}};
    if (auto it = in.train_metrics.find(name); it != in.train_metrics.end()) row.train = it->second;
    if (auto it = in.test_metrics.find(name); it != in.test_metrics.end()) row.test = it->second;
    r.metrics.push_back(row);
  }
  r.lineage = in.lineage;

  const auto& stages = in.model->stages();
  for (const TransformerPtr& stage : stages) {
    report::StageBox box;
    box.stage_class = stage->class_name();
    box.uid = stage->uid();
    box.inputs = ParamColumns(*stage, {"inputCol", "inputCols", "featuresCol"});
    box.outputs = ParamColumns(*stage, {"outputCol", "outputCols", "predictionCol", "probabilityCol"});
    box.estimator = dynamic_cast<const Model*>(stage.get()) != nullptr;
    r.pipeline.push_back(std::move(box));
  }

  const DataFrame& test = *in.test_scored;
  const std::string& label = in.label->column;
  if (in.task == Task::kRegression) {
    r.predicted = NumericValues(*test.column("prediction"));
    r.actual = NumericValues(*test.column(label));
  } else {
    r.class_names = in.label->classes;
    std::map<std::string, ParamValue> params = {{"labelCol", label}};
    if (!in.weight_col.empty()) params["weightCol"] = in.weight_col;
    const MulticlassReport mc = MulticlassClassificationEvaluator::Make(params).Report(test, ctx);
    // Rows and columns indexed by class index 0..k-1, whichever labels occur.
    const size_t k = std::max(r.class_names.size(), mc.labels.empty() ? size_t{0} : size_t(mc.labels.back()) + 1);
    r.confusion.assign(k, std::vector<double>(k, 0.0));
    for (size_t a = 0; a < mc.labels.size(); ++a) {
      for (size_t p = 0; p < mc.labels.size(); ++p) {
        const auto ai = static_cast<size_t>(mc.labels[a]), pi = static_cast<size_t>(mc.labels[p]);
        if (ai < k && pi < k) r.confusion[ai][pi] += mc.ConfusionAt(a, p);
      }
    }
    while (r.class_names.size() < k) r.class_names.push_back(std::to_string(r.class_names.size()));
    if (in.task == Task::kBinary && test.schema().Contains("probability")) {
      r.scores = VectorEntry(*test.column("probability"), 1);
      r.labels = NumericValues(*test.column(label));
      if (!in.weight_col.empty()) r.weights = NumericValues(*test.column(in.weight_col));
    }
  }

  if (!stages.empty()) {
    const ModelInsights& insights = in.insights;
    r.loss_history = insights.loss_history;
    if (!insights.feature_importances.empty()) {
      std::string features_col = "features";
      if (stages.back()->params().table().Find("featuresCol") != nullptr) {
        features_col = stages.back()->params().GetString("featuresCol");
      }
      const std::vector<std::string> feature_names =
          FeatureNames(stages, in.model->input_schema(), features_col, insights.feature_importances.size());
      for (size_t i = 0; i < feature_names.size(); ++i) {
        r.feature_importance.emplace_back(feature_names[i], insights.feature_importances[i]);
      }
    }
  }
  return r;
}

}  // namespace ember::runner
