// Per-feature scalers of a vector column, as Spark's pyspark.ml.feature
// StandardScaler, MinMaxScaler and MaxAbsScaler, with their fitted models;
// and AffineVectorModel, the shared fitted form (RobustScaler uses it too).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// y[j] = (x[j] - shift[j]) * scale[j] + offset[j] per feature, computed in
/// double and stored as float32.
struct AffineMap {
  std::vector<double> shift;
  std::vector<double> scale;
  std::vector<double> offset;
  /// Whether 0 maps to 0 for every feature, so sparse input may stay sparse.
  bool keeps_zero = false;
};

/// A fitted vector scaler: inputCol must be a vector of the fitted size;
/// outputCol (default "<uid>__output") gets a vector of that size, sparse
/// when the input is sparse and the map keeps zeros, else dense. Null rows
/// stay null; NaN stays NaN. Immutable and thread-safe.
class AffineVectorModel : public Model {
 public:
  const AffineMap& affine() const { return affine_; }
  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;

 protected:
  AffineVectorModel(ParamMap params, std::string uid, Schema input_schema, AffineMap affine);

 private:
  AffineMap affine_;
};

/// The output schema of a vector scaler estimator: inputCol a vector of
/// known size, outputCol absent; sparse output only when `keeps_zero` and
/// the input is sparse.
Schema VectorScalerSchema(const Stage& stage, const Schema& input, bool keeps_zero);

/// Params: inputCol (vector), outputCol, withMean (false), withStd (true).
/// Fit computes each feature's mean and its sample standard deviation
/// (divisor n - 1, as Spark; 0 for a single row) in double, skipping null
/// rows; NaN values make that feature's statistics NaN.
class StandardScaler final : public Estimator {
 public:
  StandardScaler(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}
  static const ParamTable& Params();
  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
};

/// y = (x - mean) / std with withMean, x / std without; a feature whose std
/// is 0 maps to 0 (Spark's rule).
class StandardScalerModel final : public AffineVectorModel {
 public:
  StandardScalerModel(ParamMap params, std::string uid, Schema input_schema, std::vector<double> mean,
                      std::vector<double> std_dev);
  static const ParamTable& Params();
  static std::shared_ptr<const Stage> Load(const ArtifactReader& reader, const StageRegistry& registry);
  const std::vector<double>& mean() const { return mean_; }
  /// Sample standard deviation of each feature.
  const std::vector<double>& std_dev() const { return std_dev_; }
  void SaveData(ArtifactWriter& writer) const override;

 private:
  std::vector<double> mean_;
  std::vector<double> std_dev_;
};

/// Params: inputCol (vector), outputCol, min (0), max (1); min < max.
/// Fit records each feature's minimum and maximum (NaN values ignored).
class MinMaxScaler final : public Estimator {
 public:
  MinMaxScaler(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}
  static const ParamTable& Params();
  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
};

/// y = (x - E_min) / (E_max - E_min) * (max - min) + min; a constant feature
/// maps to 0.5 * (max + min), as Spark (sklearn maps it to min). Dense output.
class MinMaxScalerModel final : public AffineVectorModel {
 public:
  MinMaxScalerModel(ParamMap params, std::string uid, Schema input_schema, std::vector<double> original_min,
                    std::vector<double> original_max);
  static const ParamTable& Params();
  static std::shared_ptr<const Stage> Load(const ArtifactReader& reader, const StageRegistry& registry);
  const std::vector<double>& original_min() const { return original_min_; }
  const std::vector<double>& original_max() const { return original_max_; }
  void SaveData(ArtifactWriter& writer) const override;

 private:
  std::vector<double> original_min_;
  std::vector<double> original_max_;
};

/// Params: inputCol (vector), outputCol. Fit records each feature's maximum
/// absolute value (NaN ignored).
class MaxAbsScaler final : public Estimator {
 public:
  MaxAbsScaler(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}
  static const ParamTable& Params();
  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
};

/// y = x / maxAbs (x itself where maxAbs is 0); keeps sparse input sparse.
class MaxAbsScalerModel final : public AffineVectorModel {
 public:
  MaxAbsScalerModel(ParamMap params, std::string uid, Schema input_schema, std::vector<double> max_abs);
  static const ParamTable& Params();
  static std::shared_ptr<const Stage> Load(const ArtifactReader& reader, const StageRegistry& registry);
  const std::vector<double>& max_abs() const { return max_abs_; }
  void SaveData(ArtifactWriter& writer) const override;

 private:
  std::vector<double> max_abs_;
};

}  // namespace ember
