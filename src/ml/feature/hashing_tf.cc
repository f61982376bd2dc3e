#include "ml/feature/hashing_tf.h"

#include <algorithm>

#include "ml/feature/column_blocks.h"
#include "ml/feature/murmur3.h"
#include "ml/feature/tokens_column.h"

namespace ember {

const ParamTable& HashingTF::Params() {
  static const ParamTable table = [] {
    ParamTable p("HashingTF");
    p.String("inputCol", std::nullopt, "token-list column ('\\x1f'-joined strings)");
    p.String("outputCol", std::nullopt, "output sparse term-frequency vector column");
    p.Int("numFeatures", 262144, "number of features (vector size); a power of two spreads indices evenly", 1,
          2147483647.0);
    p.Bool("binary", false, "store 1 for every nonzero term count (for binary models)");
    return p;
  }();
  return table;
}

Schema HashingTF::TransformSchema(const Schema& input) const {
  RequireTokensColumn(*this, input, "inputCol", params().GetString("inputCol"));
  RequireAbsent(*this, input, "outputCol", params().GetString("outputCol"));
  return AppendField(input, {params().GetString("outputCol"),
                             DataType::SparseVector(static_cast<int32_t>(params().GetInt("numFeatures"))),
                             {}});
}

DataFrame HashingTF::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& in = *input.column(params().GetString("inputCol"));
  const auto n = static_cast<int32_t>(params().GetInt("numFeatures"));
  const bool binary = params().GetBool("binary");
  ColumnPtr out = BuildSparseColumn(ctx, input.num_rows(), n, [&](const BlockRange& r, SparseBlockWriter& w) {
    std::vector<int32_t> indices;
    for (size_t row = r.begin; row < r.end; ++row) {
      if (in.IsNull(row)) {
        w.EndRow(false);
        continue;
      }
      indices.clear();
      ForEachToken(in.StringAt(row), [&](std::string_view t) { indices.push_back(SparkTermIndex(t, n)); });
      std::sort(indices.begin(), indices.end());
      for (size_t i = 0; i < indices.size();) {
        size_t j = i;
        while (j < indices.size() && indices[j] == indices[i]) ++j;
        w.Add(indices[i], binary ? 1.0f : static_cast<float>(j - i));
        i = j;
      }
      w.EndRow();
    }
  });
  return input.WithColumn(params().GetString("outputCol"), std::move(out));
}

}  // namespace ember
