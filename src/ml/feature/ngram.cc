#include "ml/feature/ngram.h"

#include "ml/feature/column_blocks.h"
#include "ml/feature/tokens_column.h"

namespace ember {

const ParamTable& NGram::Params() {
  static const ParamTable table = [] {
    ParamTable p("NGram");
    p.String("inputCol", std::nullopt, "token-list column");
    p.String("outputCol", std::nullopt, "output token-list column of n-grams");
    p.Int("n", 2, "number of tokens per n-gram", 1);
    return p;
  }();
  return table;
}

Schema NGram::TransformSchema(const Schema& input) const {
  RequireTokensColumn(*this, input, "inputCol", params().GetString("inputCol"));
  RequireAbsent(*this, input, "outputCol", params().GetString("outputCol"));
  return AppendField(input, {params().GetString("outputCol"), DataType::String(), {}});
}

DataFrame NGram::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& in = *input.column(params().GetString("inputCol"));
  const auto n = static_cast<size_t>(params().GetInt("n"));
  ColumnPtr out = BuildStringColumn(ctx, input.num_rows(), [&](const BlockRange& r, StringBlockWriter& w) {
    std::vector<std::string_view> tokens;
    std::string gram;
    for (size_t row = r.begin; row < r.end; ++row) {
      if (in.IsNull(row)) {
        w.EndRow(false);
        continue;
      }
      tokens.clear();
      ForEachToken(in.StringAt(row), [&](std::string_view t) { tokens.push_back(t); });
      for (size_t i = 0; i + n <= tokens.size(); ++i) {
        gram.clear();
        for (size_t k = 0; k < n; ++k) {
          if (k > 0) gram.push_back(' ');
          gram.append(tokens[i + k]);
        }
        w.AppendToken(gram);
      }
      w.EndRow();
    }
  });
  return input.WithColumn(params().GetString("outputCol"), std::move(out));
}

}  // namespace ember
