// Logical column types of a DataFrame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ember {

enum class TypeId : uint8_t {
  kBool,          // one byte per value, 0 or 1
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kString,        // int64 offsets (length + 1) into UTF-8 bytes
  kDenseVector,   // length x dim float32, row-major
  kSparseVector,  // CSR: int64 row offsets, int32 indices, float32 values
};

/// A column's type. Vectors carry their dimension (0 when not yet known).
struct DataType {
  TypeId id = TypeId::kFloat64;
  int32_t dim = 0;

  static constexpr DataType Bool() { return {TypeId::kBool}; }
  static constexpr DataType Int32() { return {TypeId::kInt32}; }
  static constexpr DataType Int64() { return {TypeId::kInt64}; }
  static constexpr DataType Float32() { return {TypeId::kFloat32}; }
  static constexpr DataType Float64() { return {TypeId::kFloat64}; }
  static constexpr DataType String() { return {TypeId::kString}; }
  static constexpr DataType DenseVector(int32_t dim) { return {TypeId::kDenseVector, dim}; }
  static constexpr DataType SparseVector(int32_t dim) { return {TypeId::kSparseVector, dim}; }

  bool is_numeric() const {
    return id == TypeId::kBool || id == TypeId::kInt32 || id == TypeId::kInt64 || id == TypeId::kFloat32 ||
           id == TypeId::kFloat64;
  }
  bool is_vector() const { return id == TypeId::kDenseVector || id == TypeId::kSparseVector; }
  /// Bytes per value of fixed-width scalar types; 0 for strings and vectors.
  size_t fixed_width() const;

  /// "float32", "string", "vector[28]", "sparse_vector[1000]".
  std::string ToString() const;
  /// Parses ToString()'s forms (and aliases: int, long, float, double,
  /// boolean, str). Throws InvalidArgument listing the valid names.
  static DataType Parse(std::string_view text);

  friend bool operator==(const DataType&, const DataType&) = default;
};

}  // namespace ember
