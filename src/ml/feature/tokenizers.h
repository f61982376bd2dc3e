// Tokenizer and RegexTokenizer (Spark's names, params and defaults): split a
// string column into a token-list column (tokens_column.h).
#pragma once

#include <memory>
#include <regex>
#include <string>

#include "ml/pipeline/stage.h"

namespace ember {

/// Lowercases (ASCII letters; other bytes pass through unchanged) and splits
/// on runs of whitespace (space, \t, \n, \v, \f, \r), dropping empty tokens.
/// Spark splits on each single whitespace character and so can emit empty
/// tokens between repeated spaces; ember drops them (RegexTokenizer's
/// default behaviour), which the token-list representation needs anyway.
/// A null input row gives a null output row. Transform is const and thread-safe.
class Tokenizer final : public Transformer {
 public:
  /// inputCol, outputCol.
  static const ParamTable& Params();
  Tokenizer(ParamMap params, std::string uid) : Transformer(std::move(params), std::move(uid)) {}

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
};

/// Splits by a regular expression: with gaps=true the pattern matches the
/// separators (Java's String.split: a leading empty piece only after a
/// non-empty match at position 0, trailing empty pieces removed); with
/// gaps=false it matches the tokens. Tokens shorter than minTokenLength
/// (counted in UTF-8 code points; Java counts UTF-16 units) are dropped.
/// toLowercase lowercases ASCII letters before matching. The pattern is an
/// ECMAScript std::regex, which agrees with Java's syntax for the common
/// cases (classes, \s \w \d, quantifiers, alternation).
class RegexTokenizer final : public Transformer {
 public:
  /// inputCol, outputCol, pattern ("\\s+"), gaps (true), minTokenLength (1),
  /// toLowercase (true).
  static const ParamTable& Params();
  /// Compiles the pattern; throws InvalidArgument naming it when it is not
  /// a valid regular expression.
  static std::unique_ptr<RegexTokenizer> Make(ParamMap params, std::string uid);

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;

  RegexTokenizer(ParamMap params, std::string uid, std::regex compiled)
      : Transformer(std::move(params), std::move(uid)), regex_(std::move(compiled)) {}

 private:
  std::regex regex_;  // only read after construction (const matching is thread-safe)
};

/// Lowercases ASCII letters in place.
void AsciiLowercase(std::string& text);

}  // namespace ember
