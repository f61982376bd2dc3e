// Evaluator: the base of the metric stages (Spark's
// pyspark.ml.evaluation.Evaluator). An evaluator reads a scored DataFrame
// and returns one number; which number is chosen by its metricName param.
// Evaluators are immutable after construction and safe to call from many
// threads at once.
#pragma once

#include <map>
#include <string>

#include "core/context.h"
#include "frame/dataframe.h"
#include "ml/param/param.h"

namespace ember {

class Evaluator {
 public:
  virtual ~Evaluator() = default;

  /// The Spark class name ("BinaryClassificationEvaluator", ...).
  const std::string& class_name() const { return params_.table().stage_name(); }
  /// The param values (explicit over the declared defaults).
  const ParamMap& params() const { return params_; }

  /// The metric named by metricName over every row of `data`. Throws
  /// SchemaError for a missing or mistyped column and InvalidArgument for
  /// values the metric cannot use (nulls, NaN, negative weights, ...), each
  /// naming the evaluator, the column and the first bad row. The result
  /// does not depend on ctx.threads().
  virtual double Evaluate(const DataFrame& data, const Context& ctx) const = 0;

  /// Whether a larger value of the chosen metric is better (as Spark's
  /// isLargerBetter): what model selection maximises or minimises.
  virtual bool IsLargerBetter() const = 0;

 protected:
  /// REQUIRES: params were built over the subclass's own ParamTable.
  explicit Evaluator(ParamMap params) : params_(std::move(params)) {}

 private:
  ParamMap params_;
};

/// A ParamMap over `table` with `values` set (each validated). Throws
/// InvalidArgument for an unknown name or a bad value.
ParamMap MakeEvaluatorParams(const ParamTable& table, const std::map<std::string, ParamValue>& values);

}  // namespace ember
