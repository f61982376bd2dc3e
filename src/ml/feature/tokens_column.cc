#include "ml/feature/tokens_column.h"

#include <fmt/format.h>

namespace ember {

std::vector<std::string> SplitTokens(std::string_view joined) {
  std::vector<std::string> out;
  ForEachToken(joined, [&](std::string_view t) { out.emplace_back(t); });
  return out;
}

std::string JoinTokens(std::span<const std::string> tokens) {
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    EMBER_CHECK(tokens[i].find(kTokenSeparator) == std::string::npos, "token '{}' holds the separator byte", i);
    if (i > 0) out.push_back(kTokenSeparator);
    out += tokens[i];
  }
  return out;
}

ColumnPtr MakeTokensColumn(const std::vector<std::vector<std::string>>& documents) {
  std::vector<std::string> joined;
  joined.reserve(documents.size());
  for (const auto& d : documents) joined.push_back(JoinTokens(d));
  return MakeStringColumn(joined);
}

std::vector<std::vector<std::string>> TokensOf(const Column& column) {
  std::vector<std::vector<std::string>> out(column.length());
  for (size_t i = 0; i < column.length(); ++i) {
    if (column.IsValid(i)) out[i] = SplitTokens(column.StringAt(i));
  }
  return out;
}

const Field& RequireTokensColumn(const Stage& stage, const Schema& schema, std::string_view param,
                                 const std::string& column) {
  const Field& f = RequireColumn(stage, schema, param, column);
  if (f.type.id != TypeId::kString) {
    throw SchemaError(fmt::format("{}: {} column '{}' must be a string column of '\\x1f'-joined tokens, got {}",
                                  stage.class_name(), param, column, f.type.ToString()));
  }
  return f;
}

}  // namespace ember
