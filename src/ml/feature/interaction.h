// Interaction (Spark's name, params and term order): the products of one
// value from each input column, for every combination.
#pragma once

#include <string>

#include "ml/pipeline/stage.h"

namespace ember {

/// Inputs are numeric columns (one value) or vector columns; the output has
/// the product of their widths, ordered with the last column varying
/// fastest: [1, 2, 3] with [8, 4, 5] gives [8, 4, 5, 16, 8, 10, 24, 12, 15],
/// as Spark. Output is dense when every input is numeric or dense, sparse
/// otherwise (zero products left out). Spark one-hot encodes numeric columns
/// that carry nominal ML attributes; ember has no such attributes, so a
/// numeric column is always one value. A row with a null input is null.
/// Transform is const and thread-safe.
class Interaction final : public Transformer {
 public:
  /// inputCols (at least one), outputCol.
  static const ParamTable& Params();
  Interaction(ParamMap params, std::string uid) : Transformer(std::move(params), std::move(uid)) {}

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
};

}  // namespace ember
