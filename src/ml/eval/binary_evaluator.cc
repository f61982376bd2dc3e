#include "ml/eval/binary_evaluator.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/parallel_for.h"
#include "ml/eval/eval_columns.h"

namespace ember {

const ParamTable& BinaryClassificationEvaluator::Params() {
  static const ParamTable table = [] {
    ParamTable t("BinaryClassificationEvaluator");
    t.String("rawPredictionCol", "rawPrediction",
             "score column: numeric, or a vector of 2 whose entry 1 scores the positive class");
    t.String("labelCol", "label", "true label column, 0 or 1");
    t.String("weightCol", std::nullopt, "optional column of non-negative row weights");
    t.String("metricName", "areaUnderROC",
             "areaUnderROC, areaUnderPR (Spark's trapezoidal PR area) or averagePrecision (sklearn's)",
             {"areaUnderROC", "areaUnderPR", "averagePrecision"});
    return t;
  }();
  return table;
}

BinaryClassificationEvaluator BinaryClassificationEvaluator::Make(const std::map<std::string, ParamValue>& values) {
  return BinaryClassificationEvaluator(MakeEvaluatorParams(Params(), values));
}

BinaryClassificationEvaluator::BinaryClassificationEvaluator(ParamMap params) : Evaluator(std::move(params)) {
  EMBER_CHECK(&this->params().table() == &Params(), "BinaryClassificationEvaluator built over the params of {}",
              this->params().table().stage_name());
}

namespace {

// The positive-class scores: a zero-copy view of a float32 or float64
// column, floats taken from entry 1 of a vector column, or doubles converted
// from an integer or bool column.
struct Scores {
  std::span<const float> floats;
  std::vector<float> float_storage;
  std::span<const double> doubles;
  std::vector<double> double_storage;
  bool is_float = false;
};

[[noreturn]] void ThrowNaN(const ParamMap& params, size_t row) {
  throw InvalidArgument(fmt::format("{}: rawPredictionCol column '{}' has NaN at row {}; scores must not be NaN",
                                    params.table().stage_name(), params.GetString("rawPredictionCol"), row));
}

Scores ReadScores(const ParamMap& params, const DataFrame& data, const Context& ctx) {
  const Column& c = FindColumn(params, data, "rawPredictionCol");
  const DataType& type = c.type();
  Scores s;
  if (type.id == TypeId::kFloat64) {
    RejectNulls(params, "rawPredictionCol", c, ctx);
    s.doubles = c.values<double>();
    ParallelFor(ctx, c.length(), kDefaultBlockRows, [&](const BlockRange& r) {
      for (size_t i = r.begin; i < r.end; ++i) {
        if (std::isnan(s.doubles[i])) [[unlikely]]
          ThrowNaN(params, i);
      }
    });
    return s;
  }
  if (type.is_numeric() && type.id != TypeId::kFloat32) {
    s.double_storage = ReadValues(params, data, "rawPredictionCol", ctx, Infinities::kAllow);
    s.doubles = s.double_storage;
    return s;
  }
  if (!type.is_numeric() && !(type.is_vector() && type.dim == 2)) {
    throw SchemaError(
        fmt::format("{}: rawPredictionCol column '{}' must be numeric or a vector of 2 "
                    "(entry 1 scores the positive class), got {}",
                    params.table().stage_name(), params.GetString("rawPredictionCol"), type.ToString()));
  }
  RejectNulls(params, "rawPredictionCol", c, ctx);
  s.is_float = true;
  const size_t n = c.length();
  if (type.id == TypeId::kFloat32) {
    s.floats = c.values<float>();
  } else {
    s.float_storage.resize(n);
    ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
      for (size_t i = r.begin; i < r.end; ++i) {
        float v = 0;
        if (type.id == TypeId::kDenseVector) {
          v = c.DenseRow(i)[1];
        } else {
          const SparseRow row = c.SparseRowAt(i);
          for (size_t k = 0; k < row.indices.size(); ++k) {
            if (row.indices[k] == 1) v = row.values[k];
          }
        }
        s.float_storage[i] = v;
      }
    });
    s.floats = s.float_storage;
  }
  ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
    for (size_t i = r.begin; i < r.end; ++i) {
      if (std::isnan(s.floats[i])) [[unlikely]]
        ThrowNaN(params, i);
    }
  });
  return s;
}

std::vector<uint8_t> ReadBinaryLabels(const ParamMap& params, const DataFrame& data, const Context& ctx) {
  const Column& c = FindNumericColumn(params, data, "labelCol");
  RejectNulls(params, "labelCol", c, ctx);
  std::vector<uint8_t> labels(c.length());
  VisitNumeric(c, [&](auto get) {
    ParallelFor(ctx, c.length(), kDefaultBlockRows, [&](const BlockRange& r) {
      for (size_t i = r.begin; i < r.end; ++i) {
        const double v = get(i);
        if (v != 0 && v != 1) [[unlikely]] {
          throw InvalidArgument(
              fmt::format("{}: labelCol column '{}' has the label {} at row {}; binary labels "
                          "must be 0 or 1",
                          params.table().stage_name(), params.GetString("labelCol"), v, i));
        }
        labels[i] = v == 1 ? 1 : 0;
      }
    });
  });
  return labels;
}

}  // namespace

BinaryCurveAreas BinaryClassificationEvaluator::EvaluateAll(const DataFrame& data, const Context& ctx) const {
  RequireRows(params(), data);
  const Scores scores = ReadScores(params(), data, ctx);
  const std::vector<uint8_t> labels = ReadBinaryLabels(params(), data, ctx);
  const std::vector<double> weights = ReadWeights(params(), data, ctx);
  return scores.is_float ? ComputeBinaryAreas(scores.floats, labels, weights, ctx)
                         : ComputeBinaryAreas(scores.doubles, labels, weights, ctx);
}

double BinaryClassificationEvaluator::Evaluate(const DataFrame& data, const Context& ctx) const {
  const BinaryCurveAreas areas = EvaluateAll(data, ctx);
  const std::string& metric = params().GetString("metricName");
  const bool needs_negatives = metric == "areaUnderROC";
  if (areas.positive_weight == 0 || (needs_negatives && areas.negative_weight == 0)) {
    throw InvalidArgument(fmt::format(
        "{}: {} is undefined: labelCol column '{}' has {} weight on label 1 and {} on label 0; the data "
        "needs {}",
        class_name(), metric, params().GetString("labelCol"), areas.positive_weight, areas.negative_weight,
        needs_negatives ? "rows of both classes with positive weight" : "a positive row with positive weight"));
  }
  if (metric == "areaUnderROC") return areas.area_under_roc;
  if (metric == "areaUnderPR") return areas.area_under_pr;
  return areas.average_precision;
}

}  // namespace ember
