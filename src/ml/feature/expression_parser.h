// The language of the Expression stage: arithmetic over numeric columns,
// parsed by recursive descent and compiled to a postfix program that the
// stage evaluates a block of rows at a time.
//
// Grammar, loosest binding first (binary operators are left-associative):
//   expr     := or
//   or       := and ('||' and)*
//   and      := equality ('&&' equality)*
//   equality := relation (('==' | '!=') relation)*
//   relation := sum (('<' | '<=' | '>' | '>=') sum)*
//   sum      := product (('+' | '-') product)*
//   product  := unary (('*' | '/' | '%') unary)*
//   unary    := ('-' | '+' | '!') unary | primary
//   primary  := number | name | `any name` | function '(' expr (',' expr)* ')' | '(' expr ')'
// Numbers: 12, 0.5, .5, 1e-3. Names: [A-Za-z_][A-Za-z0-9_]*, or any text in
// backquotes (`` inside a backquoted name stands for one backquote).
// Functions: log, log1p, exp, sqrt, abs, pow(x, y), clip(x, lo, hi),
// min(a, b, ...), max(a, b, ...), if(cond, a, b).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ember {

enum class ExprOp : uint8_t {
  kColumn,  // push column `arg`
  kConst,   // push `value`
  // unary: pop 1, push 1
  kNeg, kNot, kLog, kLog1p, kExp, kSqrt, kAbs,
  // binary: pop 2, push 1
  kAdd, kSub, kMul, kDiv, kMod, kPow, kMin, kMax, kLt, kLe, kGt, kGe, kEq, kNe, kAnd, kOr,
  // ternary: pop 3, push 1
  kClip, kIf,
};

/// One step of a postfix program.
struct ExprInstruction {
  ExprOp op;
  int32_t arg = 0;     // kColumn: index into ExprProgram::columns
  double value = 0.0;  // kConst
};

/// A compiled expression. Immutable; evaluating it needs only the inputs.
struct ExprProgram {
  std::string text;
  std::vector<ExprInstruction> code;
  /// Distinct column names in order of first reference, and the 1-based
  /// character position of that reference (for error messages).
  std::vector<std::string> columns;
  std::vector<size_t> column_positions;
  /// Deepest the value stack gets while running `code`.
  size_t max_stack = 0;
};

/// Parses and compiles `text`. Throws InvalidArgument "Expression: at column
/// 5 of 'a + * b': expected a value, found '*'" (1-based byte position).
ExprProgram ParseExpression(std::string_view text);

/// Truth of a value in && || ! and if(): nonzero and not NaN.
inline bool ExprTruth(double v) { return v != 0.0 && v == v; }

}  // namespace ember
