// FeatureHasher (Spark's name, params and hashing): projects numeric, bool
// and string columns into one sparse vector of numFeatures by the hashing
// trick, with Spark's murmur3 indices.
#pragma once

#include <memory>
#include <string>

#include "ml/pipeline/stage.h"

namespace ember {

/// Numeric columns (not listed in categoricalCols) add their value at the
/// index of hash(column name); string and bool columns, and numeric columns
/// listed in categoricalCols, add 1.0 at the index of hash("name=value"),
/// where value is printed as Java would (true, 3, 2.5, 1.0E10). Entries that
/// land on one index are summed; null values contribute nothing. Output: a
/// sparse_vector[numFeatures] column. Unlike Spark, which only warns, a
/// categoricalCols entry missing from inputCols is a SchemaError.
/// Transform is const and thread-safe.
class FeatureHasher final : public Transformer {
 public:
  /// inputCols, outputCol, numFeatures (262144), categoricalCols ([]).
  static const ParamTable& Params();
  FeatureHasher(ParamMap params, std::string uid) : Transformer(std::move(params), std::move(uid)) {}

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
};

/// Java's Double.toString / Float.toString of a value (shortest digits that
/// round-trip; plain notation for 1e-3 <= |v| < 1e7, else d.dddE±n).
std::string JavaNumberString(double value, bool is_float32);

}  // namespace ember
