#include "ml/feature/column_blocks.h"

#include <algorithm>
#include <cstring>

#include "ml/feature/tokens_column.h"

namespace ember {

void StringBlockWriter::AppendToken(std::string_view token) {
  if (row_has_token_) bytes_.push_back(kTokenSeparator);
  bytes_.append(token);
  row_has_token_ = true;
}

namespace {

// Concatenates per-block validity bytes; nullptr when every row is valid.
template <class Block>
BufferPtr StitchValidity(size_t rows, const std::vector<Block>& blocks, const std::vector<uint8_t> Block::*valid) {
  bool any_null = false;
  for (const Block& b : blocks) any_null = any_null || std::find((b.*valid).begin(), (b.*valid).end(), 0) != (b.*valid).end();
  if (!any_null) return nullptr;
  auto buffer = Buffer::Allocate(rows);
  uint8_t* out = buffer->template mutable_as<uint8_t>();
  for (const Block& b : blocks) {
    if (!(b.*valid).empty()) std::memcpy(out, (b.*valid).data(), (b.*valid).size());
    out += (b.*valid).size();
  }
  return buffer;
}

}  // namespace

SparseColumnBuffers::SparseColumnBuffers(size_t rows, size_t nnz)
    : offsets_buffer(Buffer::Allocate((rows + 1) * sizeof(int64_t))),
      indices_buffer(Buffer::Allocate(nnz * sizeof(int32_t))),
      values_buffer(Buffer::Allocate(nnz * sizeof(float))),
      offsets(offsets_buffer->mutable_as<int64_t>()),
      indices(indices_buffer->mutable_as<int32_t>()),
      values(values_buffer->mutable_as<float>()) {
  offsets[0] = 0;
}

ColumnPtr SparseColumnBuffers::Finish(int32_t dim, size_t rows, BufferPtr validity) {
  return Column::Make(DataType::SparseVector(dim), rows,
                      {.values = std::move(values_buffer), .offsets = std::move(offsets_buffer),
                       .indices = std::move(indices_buffer), .validity = std::move(validity)});
}

ColumnPtr StitchSparseBlocks(int32_t dim, size_t rows, std::vector<SparseBlockWriter>& blocks) {
  size_t nnz = 0;
  size_t counted_rows = 0;
  for (const auto& b : blocks) {
    nnz += b.indices_.size();
    counted_rows += b.ends_.size();
  }
  EMBER_CHECK(counted_rows == rows, "sparse blocks hold {} rows, expected {}", counted_rows, rows);
  SparseColumnBuffers out(rows, nnz);
  int64_t* o = out.offsets;
  int32_t* idx = out.indices;
  float* val = out.values;
  size_t row = 0;
  int64_t base = 0;
  for (auto& b : blocks) {
    for (int64_t end : b.ends_) o[++row] = base + end;
    if (!b.indices_.empty()) {
      std::memcpy(idx + base, b.indices_.data(), b.indices_.size() * sizeof(int32_t));
      std::memcpy(val + base, b.values_.data(), b.values_.size() * sizeof(float));
    }
    base += static_cast<int64_t>(b.indices_.size());
  }
  BufferPtr validity = StitchValidity(rows, blocks, &SparseBlockWriter::valid_);
  blocks.clear();
  return out.Finish(dim, rows, std::move(validity));
}

ColumnPtr StitchStringBlocks(size_t rows, std::vector<StringBlockWriter>& blocks) {
  size_t bytes = 0;
  size_t counted_rows = 0;
  for (const auto& b : blocks) {
    bytes += b.bytes_.size();
    counted_rows += b.ends_.size();
  }
  EMBER_CHECK(counted_rows == rows, "string blocks hold {} rows, expected {}", counted_rows, rows);
  auto offsets = Buffer::Allocate((rows + 1) * sizeof(int64_t));
  auto data = Buffer::Allocate(bytes);
  int64_t* o = offsets->mutable_as<int64_t>();
  o[0] = 0;
  size_t row = 0;
  int64_t base = 0;
  for (auto& b : blocks) {
    for (int64_t end : b.ends_) o[++row] = base + end;
    if (!b.bytes_.empty()) std::memcpy(data->mutable_data() + base, b.bytes_.data(), b.bytes_.size());
    base += static_cast<int64_t>(b.bytes_.size());
  }
  BufferPtr validity = StitchValidity(rows, blocks, &StringBlockWriter::valid_);
  blocks.clear();
  return Column::Make(DataType::String(), rows,
                      {.values = std::move(data), .offsets = std::move(offsets), .validity = std::move(validity)});
}

ColumnPtr MakeFloat64Column(std::vector<double> values, const std::vector<uint8_t>& valid) {
  const bool any_null = std::find(valid.begin(), valid.end(), 0) != valid.end();
  return MakeColumn<double>(values, any_null ? valid : std::vector<uint8_t>{});
}

}  // namespace ember
