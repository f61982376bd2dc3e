// Shared building blocks of the feature transformers: typed column access
// without a per-row type switch, Spark's handleInvalid policy, and builders
// for vector output columns.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "frame/column.h"

namespace ember {

/// Spark's handleInvalid: what to do with a null, NaN or unseen value.
enum class HandleInvalid {
  kError,  // throw, naming the stage, column and row
  kSkip,   // drop the row from the output
  kKeep,   // keep it: an extra bucket/index, or NaN, as the stage documents
};

/// Parses "error" | "skip" | "keep".
HandleInvalid ParseHandleInvalid(std::string_view value);

/// Calls f(row, value, valid) for every row of a numeric column, dispatching
/// on the type once (not per row). value is a double; invalid rows (null)
/// get valid == false and value NaN.
template <class F>
void ForEachNumeric(const Column& c, F&& f) {
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const auto v = c.values<T>();
    const auto valid = c.validity();
    for (size_t i = 0; i < v.size(); ++i) {
      const bool ok = valid.empty() || valid[i] != 0;
      f(i, ok ? static_cast<double>(v[i]) : std::nan(""), ok);
    }
  };
  switch (c.type().id) {
    case TypeId::kBool: run(uint8_t{}); break;
    case TypeId::kInt32: run(int32_t{}); break;
    case TypeId::kInt64: run(int64_t{}); break;
    case TypeId::kFloat32: run(float{}); break;
    case TypeId::kFloat64: run(double{}); break;
    default: EMBER_CHECK(false, "ForEachNumeric on a {} column", c.type().ToString());
  }
}

/// A numeric column's values as doubles (NaN for nulls).
std::vector<double> NumericValues(const Column& c);

/// Dimension of a vector column's type, or 1 for a numeric scalar column.
int32_t FeatureWidth(const DataType& type);

/// Row-by-row builder of a sparse vector column (CSR). Indices within a row
/// must be appended in increasing order.
class SparseVectorBuilder {
 public:
  SparseVectorBuilder(int32_t dim, size_t rows_hint);
  void Add(int32_t index, float value) {
    indices_.push_back(index);
    values_.push_back(value);
  }
  void EndRow() { offsets_.push_back(static_cast<int64_t>(indices_.size())); }
  ColumnPtr Finish();

  /// What has been built so far: rows() + 1 offsets from 0, then the entries.
  size_t rows() const { return offsets_.size() - 1; }
  std::span<const int64_t> offsets() const { return offsets_; }
  std::span<const int32_t> indices() const { return indices_; }
  std::span<const float> values() const { return values_; }

 private:
  int32_t dim_;
  std::vector<int64_t> offsets_;
  std::vector<int32_t> indices_;
  std::vector<float> values_;
};

/// A dense vector column of `rows` x `dim` float32 values filled by the caller.
struct DenseVectorBuilder {
  DenseVectorBuilder(size_t rows, int32_t dim);
  float* row(size_t i) { return data + i * static_cast<size_t>(dim); }
  ColumnPtr Finish();

  size_t rows;
  int32_t dim;
  std::shared_ptr<Buffer> buffer;
  float* data;
};

}  // namespace ember
