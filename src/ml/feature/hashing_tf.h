// HashingTF (Spark's name, params and hashing): maps a token-list column to
// term-frequency sparse vectors, each term at Spark's murmur3 index.
#pragma once

#include <string>

#include "ml/pipeline/stage.h"

namespace ember {

/// Each token adds 1 at index nonNegativeMod(murmur3_x86_32(utf8, 42),
/// numFeatures), exactly as Spark 3+ (so indices match Spark's); binary=true
/// stores 1 for every nonzero count. A null row gives a null vector.
/// Transform is const and thread-safe.
class HashingTF final : public Transformer {
 public:
  /// inputCol (token list), outputCol, numFeatures (262144), binary (false).
  static const ParamTable& Params();
  HashingTF(ParamMap params, std::string uid) : Transformer(std::move(params), std::move(uid)) {}

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
};

}  // namespace ember
