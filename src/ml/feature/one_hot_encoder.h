// OneHotEncoder (an estimator) and OneHotEncoderModel: category indices to
// sparse one-hot vectors, as Spark's pyspark.ml.feature.OneHotEncoder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// Params: inputCols/outputCols (or inputCol/outputCol) of category
/// indices, dropLast (true), handleInvalid ('error' default, 'keep').
///
/// Fit takes each column's category count from its "ml_attr.labels"
/// metadata (a StringIndexer's output) when present; otherwise it scans the
/// data for max index + 1, and then every value must be a non-negative
/// integer (null, NaN, negative or fractional values throw, as Spark).
class OneHotEncoder final : public Estimator {
 public:
  OneHotEncoder(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}

  static const ParamTable& Params();

  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
};

/// Encodes index i of a column with n categories as a sparse vector with a
/// 1 at i. Its size is n, plus one with handleInvalid 'keep' (the slot for
/// invalid values), minus one with dropLast (the last slot is dropped, so
/// that value encodes as all zeros). Invalid values are null, NaN, negative
/// or >= n; 'error' throws naming column and row, 'keep' uses slot n.
/// Fractional values in range are truncated, as Spark. Immutable, thread-safe.
class OneHotEncoderModel final : public Model {
 public:
  /// REQUIRES: one category count per input column.
  OneHotEncoderModel(ParamMap params, std::string uid, Schema input_schema, std::vector<int64_t> category_sizes);

  static const ParamTable& Params();
  static std::shared_ptr<const Stage> Load(const ArtifactReader& reader, const StageRegistry& registry);

  /// Number of categories of each input column (before dropLast / keep).
  const std::vector<int64_t>& category_sizes() const { return category_sizes_; }

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;

 private:
  /// Output vector size for a column with `categories` categories.
  int64_t OutputSize(int64_t categories) const;

  std::vector<int64_t> category_sizes_;
};

}  // namespace ember
