// VectorAssembler: concatenates numeric and vector columns into one feature
// vector column, as Spark's pyspark.ml.feature.VectorAssembler.
#pragma once

#include <memory>
#include <string>

#include "ml/pipeline/stage.h"

namespace ember {

/// Params: inputCols (required; numeric or vector columns),
/// outputCol (default "<uid>__output"), handleInvalid ('error' default,
/// 'skip', 'keep').
///
/// Output: a vector whose size is the sum of the inputs' widths (unknown,
/// 0, in a schema where an input's size is not yet known); dense
/// float32 unless an input is a sparse vector, then sparse (zeros omitted).
/// Invalid values, as Spark: a null or NaN numeric input, or a null vector.
/// 'error' throws naming the column and row, 'skip' drops the row, 'keep'
/// writes NaN (a null vector becomes dim NaNs). NaN inside a vector is data,
/// passed through under every policy. Thread-safe.
class VectorAssembler final : public Transformer {
 public:
  VectorAssembler(ParamMap params, std::string uid) : Transformer(std::move(params), std::move(uid)) {}

  static const ParamTable& Params();

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
};

}  // namespace ember
