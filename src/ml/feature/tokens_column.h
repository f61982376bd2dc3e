// How ember stores a token list (Spark's array<string>) without a list
// column type: a string column whose value is the tokens joined by one
// '\x1f' (ASCII unit separator) byte. "" is the empty list; "a\x1f\x1fb" is
// ["a", "", "b"]; a null row is a null document. The stages that produce
// tokens (Tokenizer, RegexTokenizer, StopWordsRemover, NGram) never emit
// empty tokens, so the one ambiguity (an empty list versus [""]) never
// arises from them. Tokens must not themselves contain '\x1f'.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "frame/column.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// The byte that separates tokens inside one value.
inline constexpr char kTokenSeparator = '\x1f';

/// Calls f(token) for each token of a joined value, in order, without
/// allocating. "" has no tokens.
template <class F>
void ForEachToken(std::string_view joined, F&& f) {
  if (joined.empty()) return;
  size_t start = 0;
  while (true) {
    const size_t end = joined.find(kTokenSeparator, start);
    if (end == std::string_view::npos) {
      f(joined.substr(start));
      return;
    }
    f(joined.substr(start, end - start));
    start = end + 1;
  }
}

/// The tokens of one joined value.
std::vector<std::string> SplitTokens(std::string_view joined);
/// The joined value of a token list. REQUIRES: no token contains kTokenSeparator.
std::string JoinTokens(std::span<const std::string> tokens);

/// A token-list column from documents (for tests and small inputs).
ColumnPtr MakeTokensColumn(const std::vector<std::vector<std::string>>& documents);
/// The documents of a token-list column; a null row gives an empty list.
std::vector<std::vector<std::string>> TokensOf(const Column& column);

/// The field of a token-list column, which must exist and be a string
/// column; SchemaError naming the stage, param and column otherwise.
const Field& RequireTokensColumn(const Stage& stage, const Schema& schema, std::string_view param,
                                 const std::string& column);

}  // namespace ember
