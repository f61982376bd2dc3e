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

/// Writes the rows of one block of a sparse vector column straight into the
/// column's final buffers, at the place its block's entry count reserved.
/// Not thread-safe: one writer belongs to one block.
class SparseRowWriter {
 public:
  SparseRowWriter(std::span<int64_t> row_ends, int32_t* indices, float* values, int64_t base, size_t capacity)
      : row_ends_(row_ends), indices_(indices), values_(values), base_(base), capacity_(capacity) {}
  /// Appends an entry to the current row. REQUIRES: indices increase within
  /// a row; no more entries than the block's count.
  void Add(int32_t index, float value) {
    EMBER_CHECK(size_ < capacity_, "sparse block writes more than the {} entries it counted", capacity_);
    indices_[size_] = index;
    values_[size_] = value;
    ++size_;
  }
  /// Ends the current row. REQUIRES: no more rows than the block has.
  void EndRow() {
    EMBER_CHECK(rows_ < row_ends_.size(), "sparse block ends more than its {} rows", row_ends_.size());
    row_ends_[rows_++] = base_ + static_cast<int64_t>(size_);
  }
  size_t size() const { return size_; }
  size_t rows() const { return rows_; }

 private:
  std::span<int64_t> row_ends_;
  size_t rows_ = 0;
  int32_t* indices_;
  float* values_;
  int64_t base_;
  size_t capacity_;
  size_t size_ = 0;
};

/// A sparse vector column written in place, without growth or stitch
/// copies: count(begin, end) returns exactly how many entries fill will
/// write for rows [begin, end); their prefix sums in block order place each
/// block, then fill(begin, end, writer) writes the rows in order, ending each
/// with writer.EndRow(). Both run per fixed block on up to ctx.threads()
/// threads, so the column does not depend on the thread count. A count that
/// disagrees with its fill is an InternalError.
ColumnPtr BuildCountedSparseVectorColumn(const Context& ctx, size_t rows, int32_t dim,
                                         const std::function<size_t(size_t begin, size_t end)>& count,
                                         const std::function<void(size_t begin, size_t end, SparseRowWriter&)>& fill);

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
