// Imputer and ImputerModel: fill missing values of numeric columns with a
// per-column mean, median or mode, as Spark's pyspark.ml.feature.Imputer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// Params: inputCols/outputCols (or inputCol/outputCol) of int32, int64,
/// float32 or float64 columns; strategy ('mean' default, 'median', 'mode');
/// missingValue (NaN); relativeError (0.001; accepted for Spark
/// compatibility and ignored: the median is exact).
///
/// Fit computes each column's surrogate over the values that are not null,
/// not NaN and not missingValue: the mean (double sum / count); the median
/// (the middle value, or the mean of the two middle values for an even
/// count: numpy's and scikit-learn's definition, where Spark's
/// approxQuantile returns a sample value); the mode (most frequent value,
/// the smallest on ties, as Spark and scikit-learn). A column with no such
/// value throws.
class Imputer final : public Estimator {
 public:
  Imputer(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}
  static const ParamTable& Params();
  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
};

/// Replaces nulls, and values equal to missingValue (NaN when missingValue
/// is NaN), with the column's surrogate. The output has the input's type,
/// as Spark; integer columns get the surrogate truncated toward zero.
/// Immutable and thread-safe.
class ImputerModel final : public Model {
 public:
  /// REQUIRES: one surrogate per input column.
  ImputerModel(ParamMap params, std::string uid, Schema input_schema, std::vector<double> surrogates);
  static const ParamTable& Params();
  static std::shared_ptr<const Stage> Load(const ArtifactReader& reader, const StageRegistry& registry);

  /// The fill value of each input column, in inputCols order.
  const std::vector<double>& surrogates() const { return surrogates_; }

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;

 private:
  std::vector<double> surrogates_;
};

}  // namespace ember
