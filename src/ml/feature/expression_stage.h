// The Expression stage: a new float64 column computed from numeric columns
// by a small arithmetic expression (expression_parser.h), with no SQL engine.
#pragma once

#include <memory>
#include <string>

#include "ml/feature/expression_parser.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// Params: expression (the text), outputCol. Evaluates the compiled postfix
/// program column-at-a-time over chunks of rows: each instruction is one
/// tight loop over the chunk, with no per-row dispatch or allocation.
/// Semantics: IEEE double arithmetic (x / 0 is ±inf or NaN, % is fmod, log
/// of a negative is NaN); null inputs read as NaN; comparisons give 1 or 0
/// (false whenever NaN is compared, except != which is true); &&, || and !
/// give 1 or 0 and treat a value as true when it is nonzero and not NaN, as
/// if() does for its condition; min/max return NaN when any argument is NaN;
/// clip(x, lo, hi) = min(max(x, lo), hi). Bool columns read as 0/1.
/// Transform is const and thread-safe.
class ExpressionStage final : public Transformer {
 public:
  /// Registered as "Expression".
  static const ParamTable& Params();
  /// Parses the expression; throws InvalidArgument with the position and
  /// what was expected when it does not parse.
  static std::unique_ptr<ExpressionStage> Make(ParamMap params, std::string uid);
  ExpressionStage(ParamMap params, std::string uid, ExprProgram program)
      : Transformer(std::move(params), std::move(uid)), program_(std::move(program)) {}

  const ExprProgram& program() const { return program_; }

  /// Every referenced column must exist (the error suggests the closest
  /// name) and be numeric; outputCol must not exist.
  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;

 private:
  ExprProgram program_;
};

}  // namespace ember
