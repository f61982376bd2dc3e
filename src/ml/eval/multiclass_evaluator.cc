#include "ml/eval/multiclass_evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/parallel_for.h"
#include "ml/eval/eval_columns.h"

namespace ember {

const ParamTable& MulticlassClassificationEvaluator::Params() {
  static const ParamTable table = [] {
    ParamTable t("MulticlassClassificationEvaluator");
    t.String("predictionCol", "prediction", "predicted label column");
    t.String("labelCol", "label", "true label column");
    t.String("weightCol", std::nullopt, "optional column of non-negative row weights");
    t.String("probabilityCol", "probability", "class probability vectors, read by logLoss");
    t.String("metricName", "f1", "the metric to compute; f1 is the support-weighted F1 of Spark",
             {"f1", "accuracy", "weightedPrecision", "weightedRecall", "weightedTruePositiveRate",
              "weightedFalsePositiveRate", "weightedFMeasure", "truePositiveRateByLabel", "falsePositiveRateByLabel",
              "precisionByLabel", "recallByLabel", "fMeasureByLabel", "logLoss", "hammingLoss"});
    t.Double("metricLabel", 0.0, "the label whose metric the ...ByLabel metrics report", 0.0);
    t.Double("beta", 1.0, "beta of weightedFMeasure and fMeasureByLabel", 0.0, std::nullopt, false);
    t.Double("eps", 1e-15, "logLoss clips probabilities below at eps", 0.0, 0.5, false, false);
    return t;
  }();
  return table;
}

MulticlassClassificationEvaluator MulticlassClassificationEvaluator::Make(
    const std::map<std::string, ParamValue>& values) {
  return MulticlassClassificationEvaluator(MakeEvaluatorParams(Params(), values));
}

MulticlassClassificationEvaluator::MulticlassClassificationEvaluator(ParamMap params) : Evaluator(std::move(params)) {
  EMBER_CHECK(&this->params().table() == &Params(), "MulticlassClassificationEvaluator built over the params of {}",
              this->params().table().stage_name());
}

bool MulticlassClassificationEvaluator::IsLargerBetter() const {
  const std::string& m = params().GetString("metricName");
  return !(m == "weightedFalsePositiveRate" || m == "falsePositiveRateByLabel" || m == "logLoss" || m == "hammingLoss");
}

MulticlassReport MulticlassClassificationEvaluator::Report(const DataFrame& data, const Context& ctx) const {
  RequireRows(params(), data);
  const std::vector<double> labels = ReadValues(params(), data, "labelCol", ctx, Infinities::kReject);
  const std::vector<double> predictions = ReadValues(params(), data, "predictionCol", ctx, Infinities::kReject);
  const std::vector<double> weights = ReadWeights(params(), data, ctx);
  try {
    return ComputeMulticlassReport(labels, predictions, weights, ctx);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(fmt::format("{}: columns '{}' and '{}': {}", class_name(), params().GetString("labelCol"),
                                      params().GetString("predictionCol"), e.what()));
  }
}

double MulticlassClassificationEvaluator::LogLoss(const DataFrame& data, const Context& ctx) const {
  RequireRows(params(), data);
  const std::vector<double> labels = ReadValues(params(), data, "labelCol", ctx, Infinities::kReject);
  const std::vector<double> weights = ReadWeights(params(), data, ctx);
  const Column& probs = FindColumn(params(), data, "probabilityCol");
  const std::string& prob_col = params().GetString("probabilityCol");
  if (!probs.type().is_vector()) {
    throw SchemaError(fmt::format("{}: probabilityCol column '{}' must be a vector of class probabilities, got {}",
                                  class_name(), prob_col, probs.type().ToString()));
  }
  RejectNulls(params(), "probabilityCol", probs, ctx);
  const int32_t dim = probs.type().dim;
  const double eps = params().GetDouble("eps");
  using Sums = std::pair<double, double>;  // (weighted loss, weight)
  const Sums sums = ParallelReduce(
      ctx, labels.size(), kDefaultBlockRows, Sums{0.0, 0.0},
      [&](const BlockRange& r) {
        Sums s{0.0, 0.0};
        for (size_t i = r.begin; i < r.end; ++i) {
          const double label = labels[i];
          if (label < 0 || label >= dim || label != std::floor(label)) [[unlikely]] {
            throw InvalidArgument(
                fmt::format("{}: logLoss needs labels that index the probability vector: "
                            "labelCol column '{}' has {} at row {}, valid are 0..{}",
                            class_name(), params().GetString("labelCol"), label, i, dim - 1));
          }
          const auto k = static_cast<int32_t>(label);
          double p = 0;
          if (probs.type().id == TypeId::kDenseVector) {
            p = probs.DenseRow(i)[static_cast<size_t>(k)];
          } else {
            const SparseRow row = probs.SparseRowAt(i);
            const auto it = std::lower_bound(row.indices.begin(), row.indices.end(), k);
            if (it != row.indices.end() && *it == k) p = row.values[static_cast<size_t>(it - row.indices.begin())];
          }
          if (std::isnan(p)) [[unlikely]] {
            throw InvalidArgument(
                fmt::format("{}: probabilityCol column '{}' has NaN at row {}", class_name(), prob_col, i));
          }
          const double w = weights.empty() ? 1.0 : weights[i];
          s.first += -std::log(std::max(p, eps)) * w;
          s.second += w;
        }
        return s;
      },
      [](Sums a, Sums b) {
        return Sums{a.first + b.first, a.second + b.second};
      });
  return sums.first / sums.second;
}

double MulticlassClassificationEvaluator::Evaluate(const DataFrame& data, const Context& ctx) const {
  const std::string& metric = params().GetString("metricName");
  if (metric == "logLoss") return LogLoss(data, ctx);
  const MulticlassReport r = Report(data, ctx);
  const double beta = params().GetDouble("beta");
  if (metric == "f1") return r.weighted_f1;
  if (metric == "accuracy") return r.accuracy;
  if (metric == "weightedPrecision") return r.weighted_precision;
  if (metric == "weightedRecall" || metric == "weightedTruePositiveRate") return r.weighted_recall;
  if (metric == "weightedFalsePositiveRate") return r.weighted_false_positive_rate;
  if (metric == "weightedFMeasure") return r.WeightedFMeasure(beta);
  if (metric == "hammingLoss") return r.hamming_loss;

  const double label = params().GetDouble("metricLabel");
  const auto index = r.IndexOf(label);
  if (!index) {
    std::string valid;
    for (size_t i = 0; i < r.labels.size() && i < 20; ++i) valid += fmt::format("{}{}", i ? ", " : "", r.labels[i]);
    if (r.labels.size() > 20) valid += ", ...";
    throw InvalidArgument(
        fmt::format("{}: metricLabel {} is neither a label nor a prediction in columns '{}' and "
                    "'{}' (values: {})",
                    class_name(), label, params().GetString("labelCol"), params().GetString("predictionCol"), valid));
  }
  const LabelMetrics& m = r.per_label[*index];
  if (metric == "truePositiveRateByLabel" || metric == "recallByLabel") return m.recall;
  if (metric == "falsePositiveRateByLabel") return m.false_positive_rate;
  if (metric == "precisionByLabel") return m.precision;
  if (metric == "fMeasureByLabel") return r.FMeasure(*index, beta);
  EMBER_CHECK(false, "metricName '{}' passed validation but has no implementation", metric);
  return 0;
}

}  // namespace ember
