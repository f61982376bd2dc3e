#include "ml/feature/stage_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/parallel_for.h"
#include "ml/feature/column_blocks.h"

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
  // Blocks build into their own builders, then are copied once, in
  // parallel, into the column's buffers at their prefix offsets.
  const size_t blocks = NumBlocks(rows, kDefaultBlockRows);
  std::vector<SparseVectorBuilder> parts;
  parts.reserve(blocks);
  for (size_t b = 0; b < blocks; ++b)
    parts.emplace_back(dim, std::min(kDefaultBlockRows, rows - b * kDefaultBlockRows));
  ParallelFor(ctx, rows, kDefaultBlockRows, [&](const BlockRange& r) { fill(r.begin, r.end, parts[r.index]); });
  std::vector<size_t> base(blocks + 1, 0);
  for (size_t b = 0; b < blocks; ++b) {
    EMBER_CHECK(parts[b].rows() == std::min(kDefaultBlockRows, rows - b * kDefaultBlockRows),
                "sparse block {} holds {} rows", b, parts[b].rows());
    base[b + 1] = base[b] + parts[b].indices().size();
  }
  const size_t nnz = base[blocks];
  SparseColumnBuffers out(rows, nnz);
  int64_t* o = out.offsets;
  int32_t* idx = out.indices;
  float* val = out.values;
  ParallelFor(ctx, blocks, 1, [&](const BlockRange& r) {
    const size_t b = r.begin;
    const SparseVectorBuilder& part = parts[b];
    const auto shift = static_cast<int64_t>(base[b]);
    const std::span<const int64_t> ends = part.offsets().subspan(1);
    int64_t* out = o + b * kDefaultBlockRows + 1;
    for (size_t i = 0; i < ends.size(); ++i) out[i] = ends[i] + shift;
    if (!part.indices().empty()) {
      std::memcpy(idx + base[b], part.indices().data(), part.indices().size_bytes());
      std::memcpy(val + base[b], part.values().data(), part.values().size_bytes());
    }
  });
  return out.Finish(dim, rows);
}

ColumnPtr BuildCountedSparseVectorColumn(const Context& ctx, size_t rows, int32_t dim,
                                         const std::function<size_t(size_t, size_t)>& count,
                                         const std::function<void(size_t, size_t, SparseRowWriter&)>& fill) {
  const size_t blocks = NumBlocks(rows, kDefaultBlockRows);
  std::vector<size_t> base(blocks + 1, 0);
  ParallelFor(ctx, rows, kDefaultBlockRows, [&](const BlockRange& r) { base[r.index + 1] = count(r.begin, r.end); });
  for (size_t b = 0; b < blocks; ++b) base[b + 1] += base[b];
  const size_t nnz = base[blocks];
  SparseColumnBuffers out(rows, nnz);
  int64_t* o = out.offsets;
  int32_t* idx = out.indices;
  float* val = out.values;
  ParallelFor(ctx, rows, kDefaultBlockRows, [&](const BlockRange& r) {
    const size_t b = r.index;
    SparseRowWriter writer({o + r.begin + 1, r.end - r.begin}, idx + base[b], val + base[b],
                           static_cast<int64_t>(base[b]), base[b + 1] - base[b]);
    fill(r.begin, r.end, writer);
    EMBER_CHECK(writer.size() == base[b + 1] - base[b], "sparse block {} wrote {} entries, counted {}", b,
                writer.size(), base[b + 1] - base[b]);
    EMBER_CHECK(writer.rows() == r.end - r.begin, "sparse block {} ended {} of its {} rows", b, writer.rows(),
                r.end - r.begin);
  });
  return out.Finish(dim, rows);
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
