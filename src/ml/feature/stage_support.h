// What the feature stages share beyond feature_util.h: Spark's rules for
// inputCol/outputCol versus inputCols/outputCols, the default output column
// name, copying an estimator's params into its model, schema checks for
// vector columns, the "ml_attr.labels" field metadata, parallel builders of
// output columns, row filtering for handleInvalid='skip', and exact
// quantiles.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/context.h"
#include "frame/column.h"
#include "frame/dataframe.h"
#include "ml/feature/feature_util.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// Field metadata key holding a StringIndexer's labels as a JSON list of strings.
inline constexpr const char* kLabelsMetadataKey = "ml_attr.labels";

/// One input column and the output column it produces.
struct ColumnPair {
  std::string input;
  std::string output;
};

/// The explicit outputCol, else Spark's default "<uid>__output".
std::string OutputColOrDefault(const Stage& stage);

/// Resolves Spark's single/multi column params: exactly one of inputCol and
/// inputCols must be set; with inputCol the output is outputCol (or its
/// default), with inputCols the outputCols must be set and of equal length.
/// Throws InvalidArgument naming the stage otherwise. A stage whose table has
/// no inputCol param (or no inputCols) just uses the one it has.
std::vector<ColumnPair> ResolveColumnPairs(const Stage& stage);

/// A model's ParamMap over `model_table` holding the estimator's explicit values.
ParamMap ModelParams(const ParamTable& model_table, const ParamMap& estimator_params);

/// The field of `column`, which must be a vector column. Its dimension may
/// be 0 (unknown) in a schema derived before fitting, e.g. the output of an
/// unfitted OneHotEncoder inside a Pipeline; real columns always know theirs.
const Field& RequireVectorColumn(const Stage& stage, const Schema& schema, std::string_view param,
                                 const std::string& column);

/// Encodes labels as the JSON list stored under kLabelsMetadataKey.
std::string LabelsToMetadata(const std::vector<std::string>& labels);
/// The labels recorded in a field's metadata, or nullopt when absent.
/// Throws SchemaError naming the column when the value is not a JSON string list.
std::optional<std::vector<std::string>> LabelsFromField(const Field& field);

/// A float64 column of `rows` values; fill(begin, end, out) writes out[i]
/// for rows [begin, end), called once per block on up to ctx.threads() threads.
ColumnPtr BuildDoubleColumn(const Context& ctx, size_t rows,
                            const std::function<void(size_t begin, size_t end, double* out)>& fill);

/// A dense vector column; fill(begin, end, out) writes rows [begin, end) of
/// the row-major rows x dim float32 matrix (out points at row `begin`).
ColumnPtr BuildDenseVectorColumn(const Context& ctx, size_t rows, int32_t dim,
                                 const std::function<void(size_t begin, size_t end, float* out)>& fill);

/// A sparse vector column built block by block: fill(begin, end, builder)
/// appends rows [begin, end) in order, ending each with builder.EndRow().
ColumnPtr BuildSparseVectorColumn(const Context& ctx, size_t rows, int32_t dim,
                                  const std::function<void(size_t begin, size_t end, SparseVectorBuilder&)>& fill);

/// `out` carrying the validity mask of `like` (shared, not copied); nulls in
/// the input stay nulls in the output.
ColumnPtr WithValidityOf(const ColumnPtr& out, const Column& like);

/// As ForEachNumeric (one type dispatch, not one per row), over rows [begin, end) only.
template <class F>
void ForEachNumericInRange(const Column& c, size_t begin, size_t end, F&& f) {
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const T* v = c.values<T>().data();
    const auto valid = c.validity();
    for (size_t i = begin; i < end; ++i) {
      const bool ok = valid.empty() || valid[i] != 0;
      f(i, ok ? static_cast<double>(v[i]) : std::nan(""), ok);
    }
  };
  switch (c.type().id) {
    case TypeId::kBool:
      run(uint8_t{});
      break;
    case TypeId::kInt32:
      run(int32_t{});
      break;
    case TypeId::kInt64:
      run(int64_t{});
      break;
    case TypeId::kFloat32:
      run(float{});
      break;
    case TypeId::kFloat64:
      run(double{});
      break;
    default:
      EMBER_CHECK(false, "ForEachNumericInRange on a {} column", c.type().ToString());
  }
}

/// Indices of the rows whose keep flag is non-zero.
std::vector<int64_t> KeptRows(std::span<const uint8_t> keep);

/// Calls f(row, values) for each valid row of a vector column in [begin,
/// end), with the row densified into `scratch` (size dim) when sparse.
/// Null rows are skipped.
template <class F>
void ForEachVectorRow(const Column& c, size_t begin, size_t end, std::span<float> scratch, F&& f) {
  const bool sparse = c.type().id == TypeId::kSparseVector;
  for (size_t i = begin; i < end; ++i) {
    if (!c.IsValid(i)) continue;
    if (!sparse) {
      f(i, c.DenseRow(i));
      continue;
    }
    std::fill(scratch.begin(), scratch.end(), 0.0f);
    const SparseRow row = c.SparseRowAt(i);
    for (size_t k = 0; k < row.indices.size(); ++k) scratch[static_cast<size_t>(row.indices[k])] = row.values[k];
    f(i, std::span<const float>(scratch));
  }
}

/// The q-quantile of sorted finite values with linear interpolation between
/// closest ranks: h = (n - 1) q, x[floor h] + (h - floor h)(x[floor h + 1] -
/// x[floor h]). This is numpy's default ("linear", R's type 7), which
/// scikit-learn uses in RobustScaler and KBinsDiscretizer. REQUIRES: non-empty.
double LinearQuantile(std::span<const double> sorted, double q);

}  // namespace ember
