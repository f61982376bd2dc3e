// RobustScaler and RobustScalerModel: scaling by quantile ranges, as Spark's
// pyspark.ml.feature.RobustScaler, with exact quantiles.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ml/feature/scalers.h"

namespace ember {

/// Params: inputCol (vector), outputCol, lower (0.25), upper (0.75),
/// withCentering (false), withScaling (true), relativeError (0.001; accepted
/// for Spark compatibility and ignored: quantiles are exact).
///
/// Fit computes, per feature over the non-null rows with NaN values left
/// out, the median and range = Q(upper) - Q(lower), where Q is numpy's
/// default linear interpolation between closest ranks (position (n-1)q):
/// the definition scikit-learn's RobustScaler uses, so its center_ and
/// scale_ are reproduced. Spark's approxQuantile instead returns a sample
/// value within relativeError of the rank.
class RobustScaler final : public Estimator {
 public:
  RobustScaler(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}
  static const ParamTable& Params();
  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
};

/// y = (x - median) / range with withCentering, x / range without (and no
/// division without withScaling). A feature whose range is 0 maps to 0, as
/// Spark (sklearn would leave it unscaled). Sparse input stays sparse
/// unless withCentering.
class RobustScalerModel final : public AffineVectorModel {
 public:
  RobustScalerModel(ParamMap params, std::string uid, Schema input_schema, std::vector<double> range,
                    std::vector<double> median);
  static const ParamTable& Params();
  static std::shared_ptr<const Stage> Load(const ArtifactReader& reader, const StageRegistry& registry);
  const std::vector<double>& range() const { return range_; }
  const std::vector<double>& median() const { return median_; }
  void SaveData(ArtifactWriter& writer) const override;

 private:
  std::vector<double> range_;
  std::vector<double> median_;
};

}  // namespace ember
