// Bucketizer (numeric values to bucket indices by given splits) and
// QuantileDiscretizer (an estimator choosing the splits from quantiles), as
// Spark's pyspark.ml.feature classes of the same names.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// Params: inputCol/outputCol with splits, or inputCols/outputCols with
/// splitsArray; handleInvalid ('error' default, 'skip', 'keep').
///
/// splits: n + 1 strictly increasing values (at least 3) giving n buckets
/// [s0, s1), ..., [s(n-1), sn]; the last bucket includes sn. Use -inf/inf
/// as outer splits to cover every value. splitsArray: one splits list per
/// input column, each written as a comma-separated string ("-inf, 0, 10,
/// inf"), because ember's params have no list-of-lists type.
///
/// Output: float64 bucket indices. A value outside [s0, sn] throws under
/// every policy (as Spark). NaN and null are invalid: 'error' throws naming
/// the column and row, 'skip' drops the row, 'keep' gives index n.
///
/// A Model (as in Spark) so that QuantileDiscretizer can return it; built
/// directly it is a plain transformer with an empty input schema.
/// Immutable and thread-safe.
class Bucketizer final : public Model {
 public:
  Bucketizer(ParamMap params, std::string uid, Schema input_schema = {})
      : Model(std::move(params), std::move(uid), std::move(input_schema)) {}

  static const ParamTable& Params();
  static std::shared_ptr<const Stage> Load(const ArtifactReader& reader, const StageRegistry& registry);

  /// The validated splits of each input column, in column order. Throws
  /// InvalidArgument naming the stage and param for a bad value.
  std::vector<std::vector<double>> Splits() const;

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
};

/// Params: inputCol/outputCol or inputCols/outputCols; numBuckets (2, >= 2);
/// numBucketsArray (per column, for inputCols); relativeError (0.001;
/// accepted for Spark compatibility and ignored: quantiles are exact);
/// handleInvalid (passed to the Bucketizer it fits).
///
/// Fit: per column, over the values that are not null or NaN, splits are
/// the quantiles at k / numBuckets for k = 1 .. numBuckets - 1, computed
/// exactly with numpy's default linear interpolation (position (n-1)q; the
/// definition of scikit-learn's KBinsDiscretizer(strategy='quantile')),
/// framed by -inf and +inf, with repeated values removed (as Spark, which
/// may then give fewer buckets).
class QuantileDiscretizer final : public Estimator {
 public:
  QuantileDiscretizer(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}

  static const ParamTable& Params();

  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
};

}  // namespace ember
