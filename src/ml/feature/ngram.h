// NGram (Spark's name, params and default): the n-grams of a token list.
#pragma once

#include <string>

#include "ml/pipeline/stage.h"

namespace ember {

/// Each output token is n consecutive input tokens joined by one space, in
/// order; a document with fewer than n tokens gives an empty list. A null
/// row stays null. Transform is const and thread-safe.
class NGram final : public Transformer {
 public:
  /// inputCol, outputCol, n (2, at least 1).
  static const ParamTable& Params();
  NGram(ParamMap params, std::string uid) : Transformer(std::move(params), std::move(uid)) {}

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
};

}  // namespace ember
