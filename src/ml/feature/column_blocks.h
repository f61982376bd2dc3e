// Parallel builders of the output columns of feature stages. ParallelFor
// hands each fixed block of rows its own writer; the blocks are stitched
// together in block order, so the column never depends on the thread count.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/context.h"
#include "core/parallel_for.h"
#include "frame/column.h"

namespace ember {

/// Rows per block for per-row feature work (tokenising, hashing, expanding).
inline constexpr size_t kFeatureBlockRows = 4096;

/// The buffers of a sparse vector column of `rows` rows and `nnz` stored
/// entries, uninitialised except offsets[0] = 0, with typed pointers for
/// writing them (row i's entries end at offsets[i + 1]).
struct SparseColumnBuffers {
  SparseColumnBuffers(size_t rows, size_t nnz);
  /// The finished column; the buffers move into it.
  ColumnPtr Finish(int32_t dim, size_t rows, BufferPtr validity = nullptr);

  std::shared_ptr<Buffer> offsets_buffer, indices_buffer, values_buffer;
  int64_t* offsets;
  int32_t* indices;
  float* values;
};

/// The rows of one block of a sparse vector column. Not thread-safe: one
/// writer belongs to one block.
class SparseBlockWriter {
 public:
  /// Appends an entry to the current row. REQUIRES: indices increase within a row.
  void Add(int32_t index, float value) {
    indices_.push_back(index);
    values_.push_back(value);
  }
  /// Ends the current row; a null row (valid == false) must have no entries.
  void EndRow(bool valid = true) {
    ends_.push_back(static_cast<int64_t>(indices_.size()));
    valid_.push_back(valid ? 1 : 0);
  }

 private:
  friend ColumnPtr StitchSparseBlocks(int32_t dim, size_t rows, std::vector<SparseBlockWriter>& blocks);
  std::vector<int64_t> ends_;
  std::vector<int32_t> indices_;
  std::vector<float> values_;
  std::vector<uint8_t> valid_;
};

/// The rows of one block of a string column.
class StringBlockWriter {
 public:
  /// Appends bytes to the current row.
  void Append(std::string_view bytes) { bytes_.append(bytes); }
  /// Appends one token to the current row's token list (see tokens_column.h).
  void AppendToken(std::string_view token);
  /// Ends the current row; a null row must have no bytes.
  void EndRow(bool valid = true) {
    ends_.push_back(static_cast<int64_t>(bytes_.size()));
    valid_.push_back(valid ? 1 : 0);
    row_has_token_ = false;
  }

 private:
  friend ColumnPtr StitchStringBlocks(size_t rows, std::vector<StringBlockWriter>& blocks);
  std::string bytes_;
  std::vector<int64_t> ends_;
  std::vector<uint8_t> valid_;
  bool row_has_token_ = false;
};

/// Joins block writers into one column (a validity mask only when a row is null).
ColumnPtr StitchSparseBlocks(int32_t dim, size_t rows, std::vector<SparseBlockWriter>& blocks);
ColumnPtr StitchStringBlocks(size_t rows, std::vector<StringBlockWriter>& blocks);

/// Builds a sparse vector column of `rows` rows: fill(range, writer) must
/// call writer.EndRow once per row of the range, in order.
template <class Fill>
ColumnPtr BuildSparseColumn(const Context& ctx, size_t rows, int32_t dim, Fill&& fill) {
  std::vector<SparseBlockWriter> blocks(NumBlocks(rows, kFeatureBlockRows));
  ParallelFor(ctx, rows, kFeatureBlockRows, [&](const BlockRange& r) { fill(r, blocks[r.index]); });
  return StitchSparseBlocks(dim, rows, blocks);
}

/// Builds a string column of `rows` rows, as BuildSparseColumn.
template <class Fill>
ColumnPtr BuildStringColumn(const Context& ctx, size_t rows, Fill&& fill) {
  std::vector<StringBlockWriter> blocks(NumBlocks(rows, kFeatureBlockRows));
  ParallelFor(ctx, rows, kFeatureBlockRows, [&](const BlockRange& r) { fill(r, blocks[r.index]); });
  return StitchStringBlocks(rows, blocks);
}

/// A float64 column from values, with nulls where `valid` is 0 (`valid`
/// empty: no nulls).
ColumnPtr MakeFloat64Column(std::vector<double> values, const std::vector<uint8_t>& valid);

}  // namespace ember
