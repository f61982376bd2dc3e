#include "ml/feature/tokenizers.h"

#include <fmt/format.h>

#include "ml/feature/column_blocks.h"
#include "ml/feature/tokens_column.h"

namespace ember {

void AsciiLowercase(std::string& text) {
  for (char& ch : text) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
}

namespace {

bool IsJavaSpace(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r'; }

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return n;
}

Schema TokenizerSchema(const Stage& stage, const Schema& input) {
  const ParamMap& p = stage.params();
  const Field& in = RequireColumn(stage, input, "inputCol", p.GetString("inputCol"));
  if (in.type.id != TypeId::kString) {
    throw SchemaError(fmt::format("{}: inputCol column '{}' must be a string column, got {}", stage.class_name(),
                                  p.GetString("inputCol"), in.type.ToString()));
  }
  RequireAbsent(stage, input, "outputCol", p.GetString("outputCol"));
  return AppendField(input, {p.GetString("outputCol"), DataType::String(), {}});
}

}  // namespace

const ParamTable& Tokenizer::Params() {
  static const ParamTable table = [] {
    ParamTable p("Tokenizer");
    p.String("inputCol", std::nullopt, "string column to tokenize");
    p.String("outputCol", std::nullopt, "output token-list column");
    return p;
  }();
  return table;
}

Schema Tokenizer::TransformSchema(const Schema& input) const { return TokenizerSchema(*this, input); }

DataFrame Tokenizer::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& in = *input.column(params().GetString("inputCol"));
  ColumnPtr out = BuildStringColumn(ctx, input.num_rows(), [&](const BlockRange& r, StringBlockWriter& w) {
    std::string lower;
    for (size_t row = r.begin; row < r.end; ++row) {
      if (in.IsNull(row)) {
        w.EndRow(false);
        continue;
      }
      lower.assign(in.StringAt(row));
      AsciiLowercase(lower);
      size_t i = 0;
      while (i < lower.size()) {
        while (i < lower.size() && IsJavaSpace(lower[i])) ++i;
        const size_t start = i;
        while (i < lower.size() && !IsJavaSpace(lower[i])) ++i;
        if (i > start) w.AppendToken(std::string_view(lower).substr(start, i - start));
      }
      w.EndRow();
    }
  });
  return input.WithColumn(params().GetString("outputCol"), std::move(out));
}

const ParamTable& RegexTokenizer::Params() {
  static const ParamTable table = [] {
    ParamTable p("RegexTokenizer");
    p.String("inputCol", std::nullopt, "string column to tokenize");
    p.String("outputCol", std::nullopt, "output token-list column");
    p.String("pattern", "\\s+", "regular expression (ECMAScript) matching gaps or tokens");
    p.Bool("gaps", true, "true: the pattern matches separators; false: it matches tokens");
    p.Int("minTokenLength", 1, "minimum token length in code points; shorter tokens are dropped", 0);
    p.Bool("toLowercase", true, "lowercase (ASCII) before tokenizing");
    return p;
  }();
  return table;
}

std::unique_ptr<RegexTokenizer> RegexTokenizer::Make(ParamMap params, std::string uid) {
  const std::string& pattern = params.GetString("pattern");
  std::regex compiled;
  try {
    compiled = std::regex(pattern, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    throw InvalidArgument(fmt::format("RegexTokenizer: pattern '{}' is not a valid regular expression: {}", pattern,
                                      e.what()));
  }
  return std::make_unique<RegexTokenizer>(std::move(params), std::move(uid), std::move(compiled));
}

Schema RegexTokenizer::TransformSchema(const Schema& input) const { return TokenizerSchema(*this, input); }

DataFrame RegexTokenizer::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& in = *input.column(params().GetString("inputCol"));
  const bool gaps = params().GetBool("gaps");
  const bool lowercase = params().GetBool("toLowercase");
  const auto min_length = static_cast<size_t>(params().GetInt("minTokenLength"));
  ColumnPtr out = BuildStringColumn(ctx, input.num_rows(), [&](const BlockRange& r, StringBlockWriter& w) {
    std::string text;
    std::vector<std::string_view> pieces;
    for (size_t row = r.begin; row < r.end; ++row) {
      if (in.IsNull(row)) {
        w.EndRow(false);
        continue;
      }
      text.assign(in.StringAt(row));
      if (lowercase) AsciiLowercase(text);
      pieces.clear();
      const std::string_view view(text);
      size_t pos = 0;
      for (std::cregex_iterator it(text.data(), text.data() + text.size(), regex_), end; it != end; ++it) {
        const auto start = static_cast<size_t>(it->position(0));
        const auto length = static_cast<size_t>(it->length(0));
        if (!gaps) {
          pieces.push_back(view.substr(start, length));
        } else if (!(start == 0 && length == 0)) {
          pieces.push_back(view.substr(pos, start - pos));
          pos = start + length;
        }
      }
      if (gaps) {
        pieces.push_back(view.substr(pos));
        while (!pieces.empty() && pieces.back().empty()) pieces.pop_back();
      }
      for (std::string_view t : pieces) {
        if (CodePoints(t) >= min_length) w.AppendToken(t);
      }
      w.EndRow();
    }
  });
  return input.WithColumn(params().GetString("outputCol"), std::move(out));
}

}  // namespace ember
