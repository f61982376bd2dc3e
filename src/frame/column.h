// Column: one immutable, typed array of values with an optional validity
// mask. Columns are shared between DataFrames through ColumnPtr; operations
// return new columns and never modify one in place.
//
// Validity is one byte per row (1 = valid, 0 = null) rather than one bit:
// parallel writers (the CSV reader's threads) can fill rows of the same mask
// without sharing bytes, and a slice at any row is a zero-copy view.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/error.h"
#include "frame/buffer.h"
#include "frame/data_type.h"

namespace ember {

class Column;
using ColumnPtr = std::shared_ptr<const Column>;

/// The buffers of a column; which ones are used depends on the type:
///   fixed-width scalars: values
///   string:              offsets (int64, length + 1), values (UTF-8 bytes)
///   dense vector:        values (float32, length * dim)
///   sparse vector:       offsets (int64, length + 1), indices (int32), values (float32)
/// validity is optional for every type (uint8 per row).
struct ColumnBuffers {
  BufferPtr values;
  BufferPtr offsets;
  BufferPtr indices;
  BufferPtr validity;
};

/// One row of a sparse vector column.
struct SparseRow {
  std::span<const int32_t> indices;
  std::span<const float> values;
};

class Column {
 public:
  /// Validates that the buffers fit the type and length (sizes, monotone
  /// offsets inside the data, sparse indices inside [0, dim)), so a column
  /// built from untrusted bytes is safe to read. Throws CorruptData.
  static ColumnPtr Make(DataType type, size_t length, ColumnBuffers buffers);

  const DataType& type() const { return type_; }
  size_t length() const { return length_; }
  size_t null_count() const { return null_count_; }
  bool has_validity() const { return buffers_.validity != nullptr; }
  bool IsValid(size_t i) const { return validity_ == nullptr || validity_[i] != 0; }
  bool IsNull(size_t i) const { return !IsValid(i); }
  const ColumnBuffers& buffers() const { return buffers_; }

  /// Values of a fixed-width column. REQUIRES: sizeof(T) and type match.
  template <class T>
  std::span<const T> values() const {
    EMBER_CHECK(type_.fixed_width() == sizeof(T) || type_.id == TypeId::kDenseVector,
                "values<{}B>() on a {} column", sizeof(T), type_.ToString());
    return buffers_.values->as<T>();
  }
  /// The validity mask (one byte per row) or an empty span when no row is null.
  std::span<const uint8_t> validity() const {
    return validity_ == nullptr ? std::span<const uint8_t>() : std::span<const uint8_t>(validity_, length_);
  }
  std::string_view StringAt(size_t i) const {
    const int64_t* o = offsets_;
    return {reinterpret_cast<const char*>(buffers_.values->data()) + o[i], static_cast<size_t>(o[i + 1] - o[i])};
  }
  std::span<const float> DenseRow(size_t i) const {
    return {buffers_.values->as<float>().data() + i * static_cast<size_t>(type_.dim), static_cast<size_t>(type_.dim)};
  }
  SparseRow SparseRowAt(size_t i) const {
    const auto b = static_cast<size_t>(offsets_[i]);
    const auto e = static_cast<size_t>(offsets_[i + 1]);
    return {buffers_.indices->as<int32_t>().subspan(b, e - b), buffers_.values->as<float>().subspan(b, e - b)};
  }
  /// Value of a numeric (bool/int/float) column as a double; NaN for nulls.
  double NumericAt(size_t i) const;

  /// Rows [offset, offset + length) as a zero-copy view.
  ColumnPtr Slice(size_t offset, size_t length) const;
  /// Rows at the given indices, in that order (a copy). REQUIRES: indices < length().
  ColumnPtr Take(std::span<const int64_t> indices) const;
  /// The column with the validity mask dropped or replaced (same values).
  ColumnPtr WithValidity(BufferPtr validity) const;
  /// Concatenation of columns of one type (a copy). Throws SchemaError on mixed types.
  static ColumnPtr Concat(std::span<const ColumnPtr> parts);

  /// Bytes held by this column's buffers.
  size_t ByteSize() const;

  Column(DataType type, size_t length, ColumnBuffers buffers);

 private:
  DataType type_;
  size_t length_;
  ColumnBuffers buffers_;
  const uint8_t* validity_ = nullptr;
  const int64_t* offsets_ = nullptr;
  size_t null_count_ = 0;
};

// Builders for code and tests that have values in hand.

/// A fixed-width column from values; `validity` empty means no nulls.
template <class T>
ColumnPtr MakeColumn(const std::vector<T>& values, const std::vector<uint8_t>& validity = {});
/// A column with nulls where the optional is empty (value stored as T{}).
template <class T>
ColumnPtr MakeNullableColumn(const std::vector<std::optional<T>>& values);
ColumnPtr MakeBoolColumn(const std::vector<bool>& values);
ColumnPtr MakeStringColumn(const std::vector<std::string>& values, const std::vector<uint8_t>& validity = {});
ColumnPtr MakeNullableStringColumn(const std::vector<std::optional<std::string>>& values);
ColumnPtr MakeDenseVectorColumn(size_t rows, int32_t dim, const std::vector<float>& values);
ColumnPtr MakeSparseVectorColumn(int32_t dim, const std::vector<int64_t>& offsets,
                                 const std::vector<int32_t>& indices, const std::vector<float>& values);

/// The DataType of a C++ scalar (bool is stored as uint8_t).
template <class T>
constexpr DataType DataTypeOf() {
  if constexpr (std::is_same_v<T, uint8_t>) return DataType::Bool();
  if constexpr (std::is_same_v<T, int32_t>) return DataType::Int32();
  if constexpr (std::is_same_v<T, int64_t>) return DataType::Int64();
  if constexpr (std::is_same_v<T, float>) return DataType::Float32();
  if constexpr (std::is_same_v<T, double>) return DataType::Float64();
}

}  // namespace ember
