// Column::Take and Column::Concat: the copying column operations.
#include <cstring>

#include <fmt/format.h>

#include "frame/column.h"

namespace ember {

namespace {

/// Gathers fixed-size records of `width` bytes.
BufferPtr GatherFixed(const Buffer& src, size_t width, std::span<const int64_t> indices) {
  auto out = Buffer::Allocate(indices.size() * width);
  std::byte* dst = out->mutable_data();
  const std::byte* s = src.data();
  switch (width) {  // common widths get a typed loop the compiler can vectorise
    case 1:
      for (size_t i = 0; i < indices.size(); ++i) dst[i] = s[indices[i]];
      break;
    case 4:
      for (size_t i = 0; i < indices.size(); ++i) std::memcpy(dst + i * 4, s + indices[i] * 4, 4);
      break;
    case 8:
      for (size_t i = 0; i < indices.size(); ++i) std::memcpy(dst + i * 8, s + indices[i] * 8, 8);
      break;
    default:
      for (size_t i = 0; i < indices.size(); ++i) std::memcpy(dst + i * width, s + indices[i] * width, width);
  }
  return out;
}

/// Gathers variable-length rows described by offsets; `element` bytes per item
/// in each of the data buffers (values, and indices for sparse vectors).
void GatherVariable(const Column& c, std::span<const int64_t> indices, ColumnBuffers* out) {
  const auto offsets = c.buffers().offsets->as<int64_t>();
  auto new_offsets = Buffer::Allocate((indices.size() + 1) * sizeof(int64_t));
  int64_t* o = new_offsets->mutable_as<int64_t>();
  o[0] = 0;
  for (size_t i = 0; i < indices.size(); ++i) o[i + 1] = o[i] + offsets[indices[i] + 1] - offsets[indices[i]];
  const auto total = static_cast<size_t>(o[indices.size()]);
  const bool sparse = c.type().id == TypeId::kSparseVector;
  const size_t value_width = sparse ? sizeof(float) : 1;
  auto values = Buffer::Allocate(total * value_width);
  std::shared_ptr<Buffer> idx = sparse ? Buffer::Allocate(total * sizeof(int32_t)) : nullptr;
  for (size_t i = 0; i < indices.size(); ++i) {
    const auto from = static_cast<size_t>(offsets[indices[i]]);
    const auto n = static_cast<size_t>(o[i + 1] - o[i]);
    std::memcpy(values->mutable_data() + o[i] * value_width, c.buffers().values->data() + from * value_width,
                n * value_width);
    if (sparse) {
      std::memcpy(idx->mutable_data() + o[i] * sizeof(int32_t),
                  c.buffers().indices->data() + from * sizeof(int32_t), n * sizeof(int32_t));
    }
  }
  out->offsets = std::move(new_offsets);
  out->values = std::move(values);
  out->indices = std::move(idx);
}

}  // namespace

ColumnPtr Column::Take(std::span<const int64_t> indices) const {
  for (int64_t i : indices) {
    EMBER_CHECK(i >= 0 && static_cast<size_t>(i) < length_, "take index {} outside [0, {})", i, length_);
  }
  ColumnBuffers b;
  if (buffers_.validity) b.validity = GatherFixed(*buffers_.validity, 1, indices);
  switch (type_.id) {
    case TypeId::kString:
    case TypeId::kSparseVector:
      GatherVariable(*this, indices, &b);
      break;
    case TypeId::kDenseVector:
      b.values = GatherFixed(*buffers_.values, static_cast<size_t>(type_.dim) * sizeof(float), indices);
      break;
    default:
      b.values = GatherFixed(*buffers_.values, type_.fixed_width(), indices);
  }
  return std::make_shared<const Column>(type_, indices.size(), std::move(b));
}

ColumnPtr Column::Concat(std::span<const ColumnPtr> parts) {
  EMBER_CHECK(!parts.empty(), "concat of no columns");
  const DataType type = parts[0]->type();
  size_t rows = 0;
  size_t data_items = 0;
  bool any_validity = false;
  for (const ColumnPtr& p : parts) {
    if (!(p->type() == type)) {
      throw SchemaError(fmt::format("cannot concatenate a {} column with a {} column", type.ToString(),
                                    p->type().ToString()));
    }
    rows += p->length();
    any_validity |= p->has_validity();
    if (p->buffers().offsets) {
      const auto o = p->buffers().offsets->as<int64_t>();
      data_items += static_cast<size_t>(o[p->length()] - o[0]);
    }
  }
  ColumnBuffers b;
  if (any_validity) {
    auto v = Buffer::Allocate(rows);
    size_t at = 0;
    for (const ColumnPtr& p : parts) {
      if (p->has_validity()) {
        std::memcpy(v->mutable_data() + at, p->buffers().validity->data(), p->length());
      } else {
        std::memset(v->mutable_data() + at, 1, p->length());
      }
      at += p->length();
    }
    b.validity = std::move(v);
  }
  if (type.id == TypeId::kString || type.id == TypeId::kSparseVector) {
    const bool sparse = type.id == TypeId::kSparseVector;
    const size_t value_width = sparse ? sizeof(float) : 1;
    auto offsets = Buffer::Allocate((rows + 1) * sizeof(int64_t));
    auto values = Buffer::Allocate(data_items * value_width);
    std::shared_ptr<Buffer> indices = sparse ? Buffer::Allocate(data_items * sizeof(int32_t)) : nullptr;
    int64_t* o = offsets->mutable_as<int64_t>();
    o[0] = 0;
    size_t row = 0;
    for (const ColumnPtr& p : parts) {
      const auto po = p->buffers().offsets->as<int64_t>();
      const int64_t base = po[0];
      const auto n = static_cast<size_t>(po[p->length()] - base);
      std::memcpy(values->mutable_data() + o[row] * value_width,
                  p->buffers().values->data() + base * value_width, n * value_width);
      if (sparse) {
        std::memcpy(indices->mutable_data() + o[row] * sizeof(int32_t),
                    p->buffers().indices->data() + base * sizeof(int32_t), n * sizeof(int32_t));
      }
      for (size_t i = 0; i < p->length(); ++i) o[row + i + 1] = o[row] + (po[i + 1] - base);
      row += p->length();
    }
    b.offsets = std::move(offsets);
    b.values = std::move(values);
    b.indices = std::move(indices);
  } else {
    const size_t width = type.id == TypeId::kDenseVector ? static_cast<size_t>(type.dim) * sizeof(float)
                                                        : type.fixed_width();
    auto values = Buffer::Allocate(rows * width);
    size_t at = 0;
    for (const ColumnPtr& p : parts) {
      std::memcpy(values->mutable_data() + at, p->buffers().values->data(), p->length() * width);
      at += p->length() * width;
    }
    b.values = std::move(values);
  }
  return std::make_shared<const Column>(type, rows, std::move(b));
}

}  // namespace ember
