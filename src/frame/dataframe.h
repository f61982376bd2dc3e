// DataFrame: an immutable table of equal-length columns. Every operation
// returns a new frame; columns it does not touch are shared with the input
// (the same ColumnPtr), never copied.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "frame/column.h"
#include "frame/schema.h"

namespace ember {

class DataFrame {
 public:
  /// An empty frame: no columns, no rows.
  DataFrame() = default;
  /// Throws SchemaError when the column count, a type or a length disagrees.
  static DataFrame Make(Schema schema, std::vector<ColumnPtr> columns);
  /// Builds the schema from names and the columns' own types.
  static DataFrame Make(const std::vector<std::string>& names, std::vector<ColumnPtr> columns);

  const Schema& schema() const { return schema_; }
  size_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  const std::vector<ColumnPtr>& columns() const { return columns_; }
  const ColumnPtr& column(size_t i) const { return columns_[i]; }
  /// Throws SchemaError with a suggestion when the name is absent.
  const ColumnPtr& column(std::string_view name) const { return columns_[schema_.IndexOf(name)]; }

  DataFrame Select(std::span<const std::string> names) const;
  /// Replaces the column of that name, or appends it. Its length must match.
  DataFrame WithColumn(const std::string& name, ColumnPtr column) const;
  /// As WithColumn, keeping the given field metadata.
  DataFrame WithField(Field field, ColumnPtr column) const;
  /// Throws SchemaError for a name that is not present.
  DataFrame Drop(std::span<const std::string> names) const;
  DataFrame Rename(std::string_view from, const std::string& to) const;
  /// Rows [offset, offset + length), zero-copy. Ranges past the end are clipped.
  DataFrame Slice(size_t offset, size_t length) const;
  DataFrame Head(size_t n) const { return Slice(0, n); }
  DataFrame Take(std::span<const int64_t> indices) const;
  /// Keeps the rows where the bool column `mask` is true (null counts as false).
  DataFrame Filter(const Column& mask) const;
  /// Stacks frames with identical schemas.
  static DataFrame Concat(std::span<const DataFrame> frames);

  /// Splits rows at random into len(fractions) frames whose sizes are
  /// proportional to the (normalised) weights, as Spark's randomSplit. Row i
  /// lands in a split decided by (seed, i) alone, so the result never depends
  /// on the thread count; row order is preserved inside each split.
  std::vector<DataFrame> RandomSplit(std::span<const double> fractions, uint64_t seed) const;

  /// Bytes held by all columns (shared buffers counted once per column).
  size_t ByteSize() const;

 private:
  DataFrame(Schema schema, std::vector<ColumnPtr> columns, size_t rows)
      : schema_(std::move(schema)), columns_(std::move(columns)), num_rows_(rows) {}

  Schema schema_;
  std::vector<ColumnPtr> columns_;
  size_t num_rows_ = 0;
};

}  // namespace ember
