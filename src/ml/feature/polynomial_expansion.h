// PolynomialExpansion (Spark's name, params, default and term order): all
// monomials of a vector's features up to a degree.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "ml/pipeline/stage.h"

namespace ember {

/// Output terms follow Spark's order (not scikit-learn's): for (x, y) and
/// degree 2, (x, x*x, y, x*y, y*y); in general the recursion runs over the
/// last feature first with its power rising from 0, and the constant term is
/// dropped, so the size is C(n + degree, degree) - 1. Dense input gives dense
/// output and sparse input sparse output (zero terms left out). A null row
/// stays null. Transform is const and thread-safe.
class PolynomialExpansion final : public Transformer {
 public:
  /// inputCol (vector), outputCol, degree (2, at least 1).
  static const ParamTable& Params();
  PolynomialExpansion(ParamMap params, std::string uid) : Transformer(std::move(params), std::move(uid)) {}

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
};

/// C(n + degree, degree) - 1, the expanded size of n features; throws
/// InvalidArgument when it exceeds what a vector column can hold (2^31 - 1).
int32_t PolynomialSize(int64_t n, int64_t degree);

}  // namespace ember
