#include "frame/column.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace ember {

Column::Column(DataType type, size_t length, ColumnBuffers buffers)
    : type_(type), length_(length), buffers_(std::move(buffers)) {
  if (buffers_.validity) {
    validity_ = reinterpret_cast<const uint8_t*>(buffers_.validity->data());
    for (size_t i = 0; i < length_; ++i) null_count_ += validity_[i] == 0;
  }
  if (buffers_.offsets) offsets_ = buffers_.offsets->as<int64_t>().data();
}

namespace {

void Require(bool ok, const std::string& what) {
  if (!ok) throw CorruptData(what);
}

void CheckOffsets(const BufferPtr& offsets, size_t length, size_t data_count, const char* what) {
  Require(offsets != nullptr && offsets->size() == (length + 1) * sizeof(int64_t),
          fmt::format("{} column of {} rows needs {} offsets", what, length, length + 1));
  auto o = offsets->as<int64_t>();
  Require(o[0] >= 0, fmt::format("{} offsets start at {}, expected >= 0", what, o[0]));
  for (size_t i = 0; i < length; ++i) {
    // Format only on failure: this runs once per row of every string column.
    if (o[i] > o[i + 1]) Require(false, fmt::format("{} offsets decrease at row {}", what, i));
  }
  Require(static_cast<uint64_t>(o[length]) <= data_count,
          fmt::format("{} offsets end at {}, beyond the {} stored values", what, o[length], data_count));
}

}  // namespace

ColumnPtr Column::Make(DataType type, size_t length, ColumnBuffers b) {
  const std::string t = type.ToString();
  if (b.validity) {
    Require(b.validity->size() == length, fmt::format("{} column of {} rows has a validity mask of {} bytes", t,
                                                      length, b.validity->size()));
  }
  Require(b.values != nullptr, fmt::format("{} column has no values buffer", t));
  switch (type.id) {
    case TypeId::kBool:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      Require(b.values->size() == length * type.fixed_width(),
              fmt::format("{} column of {} rows has {} value bytes, expected {}", t, length, b.values->size(),
                          length * type.fixed_width()));
      break;
    case TypeId::kString:
      CheckOffsets(b.offsets, length, b.values->size(), "string");
      break;
    case TypeId::kDenseVector:
      Require(type.dim > 0, "a dense vector column needs a dimension > 0");
      Require(b.values->size() == length * static_cast<size_t>(type.dim) * sizeof(float),
              fmt::format("{} column of {} rows has {} value bytes", t, length, b.values->size()));
      break;
    case TypeId::kSparseVector: {
      Require(b.indices != nullptr && b.indices->size() / sizeof(int32_t) == b.values->size() / sizeof(float) &&
                  b.indices->size() % sizeof(int32_t) == 0 && b.values->size() % sizeof(float) == 0,
              "sparse vector column has indices and values of different lengths");
      CheckOffsets(b.offsets, length, b.indices->size() / sizeof(int32_t), "sparse vector");
      for (int32_t index : b.indices->as<int32_t>()) {
        if (index < 0 || index >= type.dim) [[unlikely]] {  // format only on failure: this loop is per value
          throw CorruptData(fmt::format("sparse vector index {} outside [0, {})", index, type.dim));
        }
      }
      break;
    }
  }
  return std::make_shared<const Column>(type, length, std::move(b));
}

double Column::NumericAt(size_t i) const {
  if (!IsValid(i)) return std::numeric_limits<double>::quiet_NaN();
  const std::byte* p = buffers_.values->data();
  switch (type_.id) {
    case TypeId::kBool: return reinterpret_cast<const uint8_t*>(p)[i];
    case TypeId::kInt32: return reinterpret_cast<const int32_t*>(p)[i];
    case TypeId::kInt64: return static_cast<double>(reinterpret_cast<const int64_t*>(p)[i]);
    case TypeId::kFloat32: return reinterpret_cast<const float*>(p)[i];
    case TypeId::kFloat64: return reinterpret_cast<const double*>(p)[i];
    default: break;
  }
  EMBER_CHECK(false, "NumericAt on a {} column", type_.ToString());
  return 0;
}

ColumnPtr Column::Slice(size_t offset, size_t length) const {
  EMBER_CHECK(offset + length <= length_, "slice [{}, +{}) of a column of {} rows", offset, length, length_);
  ColumnBuffers b = buffers_;
  if (b.validity) b.validity = Buffer::Slice(b.validity, offset, length);
  switch (type_.id) {
    case TypeId::kString:
    case TypeId::kSparseVector:
      // Offsets stay absolute into the shared data, so only they are sliced.
      b.offsets = Buffer::Slice(b.offsets, offset * sizeof(int64_t), (length + 1) * sizeof(int64_t));
      break;
    case TypeId::kDenseVector: {
      const size_t row = static_cast<size_t>(type_.dim) * sizeof(float);
      b.values = Buffer::Slice(b.values, offset * row, length * row);
      break;
    }
    default:
      b.values = Buffer::Slice(b.values, offset * type_.fixed_width(), length * type_.fixed_width());
  }
  return std::make_shared<const Column>(type_, length, std::move(b));
}

ColumnPtr Column::WithValidity(BufferPtr validity) const {
  EMBER_CHECK(validity == nullptr || validity->size() == length_, "validity mask of {} bytes for {} rows",
              validity ? validity->size() : 0, length_);
  ColumnBuffers b = buffers_;
  b.validity = std::move(validity);
  return std::make_shared<const Column>(type_, length_, std::move(b));
}

size_t Column::ByteSize() const {
  size_t total = 0;
  for (const BufferPtr* p : {&buffers_.values, &buffers_.offsets, &buffers_.indices, &buffers_.validity}) {
    if (*p) total += (*p)->size();
  }
  return total;
}

template <class T>
ColumnPtr MakeColumn(const std::vector<T>& values, const std::vector<uint8_t>& validity) {
  ColumnBuffers b;
  b.values = Buffer::Copy(values);
  if (!validity.empty()) b.validity = Buffer::Copy(validity);
  return Column::Make(DataTypeOf<T>(), values.size(), std::move(b));
}

template <class T>
ColumnPtr MakeNullableColumn(const std::vector<std::optional<T>>& values) {
  std::vector<T> v(values.size());
  std::vector<uint8_t> valid(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    valid[i] = values[i].has_value();
    v[i] = values[i].value_or(T{});
  }
  return MakeColumn(v, valid);
}

#define EMBER_INSTANTIATE(T)                                                              \
  template ColumnPtr MakeColumn<T>(const std::vector<T>&, const std::vector<uint8_t>&); \
  template ColumnPtr MakeNullableColumn<T>(const std::vector<std::optional<T>>&);
EMBER_INSTANTIATE(uint8_t)
EMBER_INSTANTIATE(int32_t)
EMBER_INSTANTIATE(int64_t)
EMBER_INSTANTIATE(float)
EMBER_INSTANTIATE(double)
#undef EMBER_INSTANTIATE

ColumnPtr MakeBoolColumn(const std::vector<bool>& values) {
  return MakeColumn(std::vector<uint8_t>(values.begin(), values.end()));
}

ColumnPtr MakeStringColumn(const std::vector<std::string>& values, const std::vector<uint8_t>& validity) {
  std::vector<int64_t> offsets{0};
  std::string bytes;
  for (const std::string& s : values) {
    bytes += s;
    offsets.push_back(static_cast<int64_t>(bytes.size()));
  }
  ColumnBuffers b;
  b.offsets = Buffer::Copy(offsets);
  b.values = Buffer::Copy(std::span<const char>(bytes));
  if (!validity.empty()) b.validity = Buffer::Copy(validity);
  return Column::Make(DataType::String(), values.size(), std::move(b));
}

ColumnPtr MakeNullableStringColumn(const std::vector<std::optional<std::string>>& values) {
  std::vector<std::string> v;
  std::vector<uint8_t> valid;
  for (const auto& s : values) {
    v.push_back(s.value_or(""));
    valid.push_back(s.has_value());
  }
  return MakeStringColumn(v, valid);
}

ColumnPtr MakeDenseVectorColumn(size_t rows, int32_t dim, const std::vector<float>& values) {
  return Column::Make(DataType::DenseVector(dim), rows, {.values = Buffer::Copy(values)});
}

ColumnPtr MakeSparseVectorColumn(int32_t dim, const std::vector<int64_t>& offsets,
                                 const std::vector<int32_t>& indices, const std::vector<float>& values) {
  EMBER_CHECK(!offsets.empty(), "sparse offsets need at least one entry");
  return Column::Make(DataType::SparseVector(dim), offsets.size() - 1,
                      {.values = Buffer::Copy(values), .offsets = Buffer::Copy(offsets),
                       .indices = Buffer::Copy(indices)});
}

}  // namespace ember
