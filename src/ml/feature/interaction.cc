#include "ml/feature/interaction.h"

#include <algorithm>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "ml/feature/column_blocks.h"
#include "ml/feature/feature_util.h"

namespace ember {

const ParamTable& Interaction::Params() {
  static const ParamTable table = [] {
    ParamTable p("Interaction");
    p.StringList("inputCols", std::nullopt, "numeric or vector columns to interact");
    p.String("outputCol", std::nullopt, "output vector column");
    return p;
  }();
  return table;
}

Schema Interaction::TransformSchema(const Schema& input) const {
  const auto& cols = params().GetStringList("inputCols");
  if (cols.empty()) throw SchemaError("Interaction: inputCols must name at least one column");
  int64_t dim = 1;
  bool sparse = false;
  bool known = true;
  for (const std::string& c : cols) {
    const Field& f = RequireColumn(*this, input, "inputCols", c);
    if (!f.type.is_numeric() && !f.type.is_vector()) {
      throw SchemaError(fmt::format("Interaction: inputCols column '{}' must be numeric or a vector, got {}", c,
                                    f.type.ToString()));
    }
    sparse = sparse || f.type.id == TypeId::kSparseVector;
    known = known && (!f.type.is_vector() || f.type.dim > 0);
    dim *= FeatureWidth(f.type);
    if (dim > std::numeric_limits<int32_t>::max()) {
      throw SchemaError(fmt::format("Interaction: the product of the input widths exceeds 2^31 - 1 at column '{}'", c));
    }
  }
  RequireAbsent(*this, input, "outputCol", params().GetString("outputCol"));
  const auto out_dim = known ? static_cast<int32_t>(dim) : 0;
  return AppendField(input, {params().GetString("outputCol"),
                             sparse ? DataType::SparseVector(out_dim) : DataType::DenseVector(out_dim), {}});
}

DataFrame Interaction::Transform(const DataFrame& input, const Context& ctx) const {
  const Schema schema = TransformSchema(input.schema());
  const DataType out_type = schema.fields().back().type;
  std::vector<const Column*> columns;
  for (const std::string& c : params().GetStringList("inputCols")) columns.push_back(input.column(c).get());

  // The nonzero products of one row, as (index, value) in increasing index
  // order: the outer loop runs over the entries so far, the inner over the
  // next column's nonzeros, so indices stay sorted. false when a value is null.
  using Entries = std::vector<std::pair<int64_t, double>>;
  auto row_entries = [&](size_t row, Entries& cur, Entries& next, Entries& col) {
    cur.assign(1, {0, 1.0});
    for (const Column* c : columns) {
      if (c->IsNull(row)) return false;
      const int64_t width = FeatureWidth(c->type());
      next.clear();
      col.clear();
      if (c->type().id == TypeId::kSparseVector) {
        const SparseRow s = c->SparseRowAt(row);
        for (size_t k = 0; k < s.indices.size(); ++k) col.emplace_back(s.indices[k], s.values[k]);
      } else if (c->type().id == TypeId::kDenseVector) {
        const auto d = c->DenseRow(row);
        for (size_t k = 0; k < d.size(); ++k) col.emplace_back(static_cast<int64_t>(k), d[k]);
      } else {
        col.emplace_back(0, c->NumericAt(row));
      }
      for (const auto& [i, u] : cur) {
        for (const auto& [j, v] : col) {
          if (v != 0.0) next.emplace_back(i * width + j, u * v);
        }
      }
      std::swap(cur, next);
    }
    return true;
  };

  ColumnPtr out;
  if (out_type.id == TypeId::kSparseVector) {
    out = BuildSparseColumn(ctx, input.num_rows(), out_type.dim, [&](const BlockRange& r, SparseBlockWriter& w) {
      Entries cur, next, col;
      for (size_t row = r.begin; row < r.end; ++row) {
        const bool valid = row_entries(row, cur, next, col);
        if (valid) {
          for (const auto& [i, v] : cur) w.Add(static_cast<int32_t>(i), static_cast<float>(v));
        }
        w.EndRow(valid);
      }
    });
  } else {
    DenseVectorBuilder b(input.num_rows(), out_type.dim);
    std::vector<uint8_t> valid(input.num_rows(), 1);
    ParallelFor(ctx, input.num_rows(), kFeatureBlockRows, [&](const BlockRange& r) {
      Entries cur, next, col;
      for (size_t row = r.begin; row < r.end; ++row) {
        float* o = b.row(row);
        std::fill_n(o, out_type.dim, 0.0f);
        valid[row] = row_entries(row, cur, next, col) ? 1 : 0;
        if (valid[row]) {
          for (const auto& [i, v] : cur) o[i] = static_cast<float>(v);
        }
      }
    });
    out = b.Finish();
    if (std::find(valid.begin(), valid.end(), 0) != valid.end()) out = out->WithValidity(Buffer::Copy(valid));
  }
  return input.WithColumn(params().GetString("outputCol"), std::move(out));
}

}  // namespace ember
