#include "ml/feature/stage_support.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/parallel_for.h"

namespace ember {

std::string OutputColOrDefault(const Stage& stage) {
  if (stage.params().HasValue("outputCol")) return stage.params().GetString("outputCol");
  return stage.uid() + "__output";
}

std::vector<ColumnPair> ResolveColumnPairs(const Stage& stage) {
  const ParamMap& p = stage.params();
  const bool has_single = p.table().Find("inputCol") != nullptr;
  const bool has_multi = p.table().Find("inputCols") != nullptr;
  const bool single = has_single && p.HasValue("inputCol");
  const bool multi = has_multi && p.HasValue("inputCols");
  if (single && multi) {
    throw InvalidArgument(fmt::format("{}: set only one of inputCol and inputCols", stage.class_name()));
  }
  if (single) {
    if (has_multi && p.HasValue("outputCols")) {
      throw InvalidArgument(fmt::format("{}: inputCol is set, so set outputCol, not outputCols", stage.class_name()));
    }
    return {{p.GetString("inputCol"), OutputColOrDefault(stage)}};
  }
  if (!multi) {
    throw InvalidArgument(fmt::format("{}: param '{}' must be set", stage.class_name(),
                                      has_single && has_multi ? "inputCol' or 'inputCols"
                                      : has_single            ? "inputCol"
                                                              : "inputCols"));
  }
  if (has_single && p.HasValue("outputCol")) {
    throw InvalidArgument(fmt::format("{}: inputCols is set, so set outputCols, not outputCol", stage.class_name()));
  }
  const auto& in = p.GetStringList("inputCols");
  if (!p.HasValue("outputCols")) {
    throw InvalidArgument(fmt::format("{}: param 'outputCols' must be set with inputCols", stage.class_name()));
  }
  const auto& out = p.GetStringList("outputCols");
  if (in.empty() || in.size() != out.size()) {
    throw InvalidArgument(fmt::format("{}: inputCols ({}) and outputCols ({}) must be non-empty and of equal length",
                                      stage.class_name(), in.size(), out.size()));
  }
  std::vector<ColumnPair> pairs;
  for (size_t i = 0; i < in.size(); ++i) pairs.push_back({in[i], out[i]});
  return pairs;
}

ParamMap ModelParams(const ParamTable& model_table, const ParamMap& estimator_params) {
  ParamMap p(model_table);
  p.SetFromJson(estimator_params.ExplicitToJson());
  return p;
}

const Field& RequireVectorColumn(const Stage& stage, const Schema& schema, std::string_view param,
                                 const std::string& column) {
  const Field& f = RequireColumn(stage, schema, param, column);
  if (!f.type.is_vector()) {
    throw SchemaError(fmt::format("{}: {} column '{}' must be a vector column, got {}", stage.class_name(), param,
                                  column, f.type.ToString()));
  }
  return f;
}

std::string LabelsToMetadata(const std::vector<std::string>& labels) { return nlohmann::json(labels).dump(); }

std::optional<std::vector<std::string>> LabelsFromField(const Field& field) {
  auto it = field.metadata.find(kLabelsMetadataKey);
  if (it == field.metadata.end()) return std::nullopt;
  try {
    return nlohmann::json::parse(it->second).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception&) {
    throw SchemaError(fmt::format("column '{}': metadata '{}' must be a JSON list of strings, got '{}'", field.name,
                                  kLabelsMetadataKey, it->second));
  }
}

ColumnPtr BuildDoubleColumn(const Context& ctx, size_t rows, const std::function<void(size_t, size_t, double*)>& fill) {
  auto buffer = Buffer::Allocate(rows * sizeof(double));
  double* out = buffer->mutable_as<double>();
  ParallelFor(ctx, rows, kDefaultBlockRows, [&](const BlockRange& r) { fill(r.begin, r.end, out); });
  return Column::Make(DataType::Float64(), rows, {.values = std::move(buffer)});
}

ColumnPtr BuildDenseVectorColumn(const Context& ctx, size_t rows, int32_t dim,
                                 const std::function<void(size_t, size_t, float*)>& fill) {
  DenseVectorBuilder builder(rows, dim);
  ParallelFor(ctx, rows, kDefaultBlockRows, [&](const BlockRange& r) { fill(r.begin, r.end, builder.row(r.begin)); });
  return builder.Finish();
}

ColumnPtr BuildSparseVectorColumn(const Context& ctx, size_t rows, int32_t dim,
                                  const std::function<void(size_t, size_t, SparseVectorBuilder&)>& fill) {
  if (rows <= kDefaultBlockRows) {
    SparseVectorBuilder builder(dim, rows);
    fill(0, rows, builder);
    return builder.Finish();
  }
  std::vector<ColumnPtr> parts(NumBlocks(rows, kDefaultBlockRows));
  ParallelFor(ctx, rows, kDefaultBlockRows, [&](const BlockRange& r) {
    SparseVectorBuilder builder(dim, r.end - r.begin);
    fill(r.begin, r.end, builder);
    parts[r.index] = builder.Finish();
  });
  return Column::Concat(parts);
}

ColumnPtr WithValidityOf(const ColumnPtr& out, const Column& like) {
  if (!like.has_validity()) return out;
  return out->WithValidity(like.buffers().validity);
}

std::vector<int64_t> KeptRows(std::span<const uint8_t> keep) {
  std::vector<int64_t> rows;
  rows.reserve(keep.size());
  for (size_t i = 0; i < keep.size(); ++i) {
    if (keep[i] != 0) rows.push_back(static_cast<int64_t>(i));
  }
  return rows;
}

double LinearQuantile(std::span<const double> sorted, double q) {
  EMBER_CHECK(!sorted.empty(), "quantile of no values");
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const auto lo = static_cast<size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  const double frac = h - static_cast<double>(lo);
  // numpy's lerp: from the upper end when frac >= 0.5, so results agree to the last bit.
  const double a = sorted[lo];
  const double b = sorted[lo + 1];
  return frac >= 0.5 ? b - (b - a) * (1.0 - frac) : a + (b - a) * frac;
}

}  // namespace ember
