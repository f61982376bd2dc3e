// TargetEncoder and TargetEncoderModel, with Spark 4.0's names, params,
// defaults and semantics: each category index of a column is replaced by a
// statistic of the label over the rows of that category.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// For category c of a column, with n_c rows, label mean m_c over them, and
/// m the label mean over all rows (null categories included):
///   encoding(c) = w * m_c + (1 - w) * m,   w = n_c / (n_c + smoothing)
/// i.e. (n_c * m_c + smoothing * m) / (n_c + smoothing), Spark 4.0's formula.
/// targetType=binary requires labels 0 or 1 (m_c is then the share of
/// positives, "bin counting"); continuous takes any finite label ("mean
/// encoding"). Inputs are numeric columns of category indices: a value
/// that is negative, fractional or NaN, or a null or NaN label, fails the
/// fit (InvalidArgument naming the column and row), as in Spark. A null
/// category is a category of its own. Columns: inputCol/outputCol or
/// inputCols/outputCols; outputs default to "<input>_indexed" (Spark's default).
class TargetEncoder final : public Estimator {
 public:
  /// inputCol, inputCols, outputCol, outputCols, labelCol ("label"),
  /// handleInvalid ("error" | "keep"), targetType ("binary" | "continuous"),
  /// smoothing (0.0, >= 0).
  static const ParamTable& Params();
  TargetEncoder(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}

  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
};

/// The fitted encodings of one input column.
struct TargetEncoding {
  std::vector<double> categories;  // sorted, distinct
  std::vector<double> encodings;   // one per category
  bool has_null = false;           // whether null was seen as a category
  double null_encoding = 0.0;
  double unseen_encoding = 0.0;    // the overall statistic m
};

/// Writes float64 encodings. A category (or null) not seen in fitting is
/// encoded as the overall statistic with handleInvalid=keep and is an
/// InvalidArgument naming the column, row and value with handleInvalid=error.
/// Immutable; Transform is thread-safe.
class TargetEncoderModel final : public Model {
 public:
  static const ParamTable& Params();
  /// REQUIRES: one encoding per input column, each with sorted categories.
  TargetEncoderModel(ParamMap params, std::string uid, Schema input_schema, std::vector<TargetEncoding> encodings);
  /// Loads a saved model; CorruptData when the arrays disagree.
  static std::shared_ptr<const Stage> Load(const ArtifactReader& reader, const StageRegistry& registry);

  const std::vector<TargetEncoding>& encodings() const { return encodings_; }

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;

 private:
  std::vector<TargetEncoding> encodings_;
};

}  // namespace ember
