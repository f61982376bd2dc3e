#include "frame/data_type.h"

#include <charconv>

#include <fmt/format.h>

#include "core/error.h"

namespace ember {

size_t DataType::fixed_width() const {
  switch (id) {
    case TypeId::kBool: return 1;
    case TypeId::kInt32: return 4;
    case TypeId::kInt64: return 8;
    case TypeId::kFloat32: return 4;
    case TypeId::kFloat64: return 8;
    default: return 0;
  }
}

std::string DataType::ToString() const {
  switch (id) {
    case TypeId::kBool: return "bool";
    case TypeId::kInt32: return "int32";
    case TypeId::kInt64: return "int64";
    case TypeId::kFloat32: return "float32";
    case TypeId::kFloat64: return "float64";
    case TypeId::kString: return "string";
    case TypeId::kDenseVector: return fmt::format("vector[{}]", dim);
    case TypeId::kSparseVector: return fmt::format("sparse_vector[{}]", dim);
  }
  return "unknown";
}

namespace {

bool ParseDim(std::string_view text, std::string_view prefix, int32_t* dim) {
  if (!text.starts_with(prefix) || !text.ends_with("]")) return false;
  const std::string_view digits = text.substr(prefix.size(), text.size() - prefix.size() - 1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *dim);
  return ec == std::errc() && ptr == digits.data() + digits.size() && *dim >= 0;
}

}  // namespace

DataType DataType::Parse(std::string_view text) {
  if (text == "bool" || text == "boolean") return Bool();
  if (text == "int32" || text == "int" || text == "integer") return Int32();
  if (text == "int64" || text == "long") return Int64();
  if (text == "float32" || text == "float") return Float32();
  if (text == "float64" || text == "double") return Float64();
  if (text == "string" || text == "str") return String();
  int32_t dim = 0;
  if (ParseDim(text, "vector[", &dim)) return DenseVector(dim);
  if (ParseDim(text, "sparse_vector[", &dim)) return SparseVector(dim);
  throw InvalidArgument(fmt::format(
      "unknown type '{}'; valid types: bool, int32, int64, float32, float64, string, vector[DIM], sparse_vector[DIM]",
      text));
}

}  // namespace ember
