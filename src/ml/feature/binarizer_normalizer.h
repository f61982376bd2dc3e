// Binarizer (thresholding numeric or vector columns to 0/1) and Normalizer
// (scaling each vector to unit p-norm), as Spark's pyspark.ml.feature
// classes of the same names. Both are stateless transformers.
#pragma once

#include <string>
#include <vector>

#include "ml/pipeline/stage.h"

namespace ember {

/// Params: inputCol/outputCol or inputCols/outputCols; threshold (0.0);
/// thresholds (one per inputCols column; default: threshold for each).
///
/// A value > threshold becomes 1.0, else 0.0 (NaN becomes 0.0). Numeric
/// input gives float64; a vector gives a vector of the same size, dense for
/// dense input, and for sparse input sparse (only the 1s stored) when
/// threshold >= 0, dense otherwise (its implicit zeros become 1s). Nulls stay
/// null. Thread-safe.
class Binarizer final : public Transformer {
 public:
  Binarizer(ParamMap params, std::string uid) : Transformer(std::move(params), std::move(uid)) {}
  static const ParamTable& Params();
  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;

 private:
  std::vector<double> Thresholds(size_t columns) const;
};

/// Params: inputCol (vector), outputCol (default "<uid>__output"), p (2.0,
/// >= 1; inf for the max norm). Each row is divided by its p-norm (computed
/// in double); an all-zero row stays as it is. Sparse input stays sparse.
/// Nulls stay null. Thread-safe.
class Normalizer final : public Transformer {
 public:
  Normalizer(ParamMap params, std::string uid) : Transformer(std::move(params), std::move(uid)) {}
  static const ParamTable& Params();
  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
};

}  // namespace ember
