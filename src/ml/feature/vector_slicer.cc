#include "ml/feature/vector_slicer.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/strings.h"
#include "ml/feature/column_blocks.h"
#include "ml/feature/feature_util.h"
#include "ml/feature/stage_checks.h"

namespace ember {

namespace {

std::optional<std::vector<std::string>> FeatureNames(const Field& field) {
  const auto it = field.metadata.find(kFeatureNamesMetadataKey);
  if (it == field.metadata.end()) return std::nullopt;
  try {
    return nlohmann::json::parse(it->second).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception&) {
    throw SchemaError(fmt::format("VectorSlicer: column '{}' has malformed '{}' metadata (expected a JSON list of "
                                  "strings)", field.name, kFeatureNamesMetadataKey));
  }
}

}  // namespace

const ParamTable& VectorSlicer::Params() {
  static const ParamTable table = [] {
    ParamTable p("VectorSlicer");
    p.String("inputCol", std::nullopt, "vector column to slice");
    p.String("outputCol", std::nullopt, "output vector column");
    p.DoubleList("indices", std::vector<double>{}, "0-based feature indices to select (integers)", 0.0);
    p.StringList("names", std::vector<std::string>{}, "feature names to select (from the column's metadata)");
    return p;
  }();
  return table;
}

std::vector<int32_t> VectorSlicer::Selection(const Field& field) const {
  const auto& indices = params().GetDoubleList("indices");
  const auto& names = params().GetStringList("names");
  if (indices.empty() && names.empty()) {
    throw InvalidArgument("VectorSlicer: set indices or names (or both) to select at least one feature");
  }
  std::vector<int32_t> out;
  for (double v : indices) {
    if (v != std::floor(v) || v > 2147483647.0) {
      throw InvalidArgument(fmt::format("VectorSlicer: indices must be whole numbers, got {}", v));
    }
    if (field.type.dim > 0 && v >= field.type.dim) {
      throw SchemaError(fmt::format("VectorSlicer: index {} is out of range for column '{}' of {} features", v,
                                    field.name, field.type.dim));
    }
    out.push_back(static_cast<int32_t>(v));
  }
  if (!names.empty()) {
    const auto known = FeatureNames(field);
    if (!known) {
      throw SchemaError(fmt::format("VectorSlicer: names are given but column '{}' has no feature names ('{}' "
                                    "metadata)", field.name, kFeatureNamesMetadataKey));
    }
    for (const std::string& n : names) {
      const auto it = std::find(known->begin(), known->end(), n);
      if (it == known->end()) {
        throw SchemaError(fmt::format("VectorSlicer: column '{}' has no feature named '{}'{}", field.name, n,
                                      DidYouMean(n, *known)));
      }
      out.push_back(static_cast<int32_t>(it - known->begin()));
    }
  }
  std::set<int32_t> seen;
  for (int32_t i : out) {
    if (!seen.insert(i).second) {
      throw InvalidArgument(fmt::format("VectorSlicer: feature {} is selected twice (indices and names must not "
                                        "overlap or repeat)", i));
    }
  }
  return out;
}

Schema VectorSlicer::TransformSchema(const Schema& input) const {
  const Field& in = RequireVectorInput(*this, input, "inputCol", params().GetString("inputCol"));
  RequireAbsent(*this, input, "outputCol", params().GetString("outputCol"));
  const std::vector<int32_t> selected = Selection(in);
  const auto dim = static_cast<int32_t>(selected.size());
  Field out{params().GetString("outputCol"),
            in.type.id == TypeId::kDenseVector ? DataType::DenseVector(dim) : DataType::SparseVector(dim), {}};
  if (const auto names = FeatureNames(in); names && in.type.dim == static_cast<int32_t>(names->size())) {
    std::vector<std::string> kept;
    for (int32_t i : selected) kept.push_back((*names)[static_cast<size_t>(i)]);
    out.metadata[kFeatureNamesMetadataKey] = nlohmann::json(kept).dump();
  }
  return AppendField(input, std::move(out));
}

DataFrame VectorSlicer::Transform(const DataFrame& input, const Context& ctx) const {
  const Schema schema = TransformSchema(input.schema());
  const Field& in_field = input.schema().field(input.schema().IndexOf(params().GetString("inputCol")));
  const std::vector<int32_t> selected = Selection(in_field);
  const Column& in = *input.column(in_field.name);
  const auto dim = static_cast<int32_t>(selected.size());
  ColumnPtr out;
  if (in.type().id == TypeId::kDenseVector) {
    DenseVectorBuilder b(input.num_rows(), dim);
    ParallelFor(ctx, input.num_rows(), kFeatureBlockRows, [&](const BlockRange& r) {
      for (size_t row = r.begin; row < r.end; ++row) {
        const auto d = in.DenseRow(row);
        float* o = b.row(row);
        for (int32_t k = 0; k < dim; ++k) o[k] = d[static_cast<size_t>(selected[static_cast<size_t>(k)])];
      }
    });
    out = b.Finish();
    if (in.null_count() > 0) out = out->WithValidity(Buffer::Copy(in.validity()));
  } else {
    // Output position of each input index (-1: not selected).
    std::vector<int32_t> position(static_cast<size_t>(in.type().dim), -1);
    for (int32_t k = 0; k < dim; ++k) position[static_cast<size_t>(selected[static_cast<size_t>(k)])] = k;
    out = BuildSparseColumn(ctx, input.num_rows(), dim, [&](const BlockRange& r, SparseBlockWriter& w) {
      std::vector<std::pair<int32_t, float>> entries;
      for (size_t row = r.begin; row < r.end; ++row) {
        if (in.IsNull(row)) {
          w.EndRow(false);
          continue;
        }
        entries.clear();
        const SparseRow s = in.SparseRowAt(row);
        for (size_t k = 0; k < s.indices.size(); ++k) {
          const int32_t p = position[static_cast<size_t>(s.indices[k])];
          if (p >= 0) entries.emplace_back(p, s.values[k]);
        }
        std::sort(entries.begin(), entries.end());
        for (const auto& [p, v] : entries) w.Add(p, v);
        w.EndRow();
      }
    });
  }
  return input.WithField(schema.fields().back(), std::move(out));
}

}  // namespace ember
