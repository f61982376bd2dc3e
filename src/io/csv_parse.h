// The CSV reader's row parsing: sampling rows for type inference, and
// parsing one chunk of rows straight into preallocated column storage (the
// parallel pass). Values that do not fit an inferred type are reported back
// so the reader can widen just that column; values that do not fit a
// user-given type are errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "frame/data_type.h"
#include "io/csv_scan.h"
#include "io/csv_value.h"

namespace ember::csv {

/// Where a column's type comes from, which decides what a value that does
/// not fit it does.
enum class TypeOrigin : uint8_t {
  kInferred,    // the column is widened to hold the value
  kUser,        // the user gave the type: an error
  kEarlierRows, // inferred from earlier rows, now fixed (batch reading): an error
};

/// One output column: its name, the type it is parsed as, and where that
/// type comes from.
struct ColumnSpec {
  std::string name;
  DataType type;
  TypeOrigin origin = TypeOrigin::kInferred;
  bool user_typed() const { return origin == TypeOrigin::kUser; }
};

/// What every chunk parser shares; read-only during the parallel pass.
struct ParseSetup {
  Dialect dialect;
  std::vector<std::string> null_tokens;  // compared with unquoted fields only
  std::vector<ColumnSpec> columns;
  bool has_header = true;

  /// Blank lines are rows (one null) only in a one-column table.
  bool skip_blank_lines() const { return columns.size() > 1; }
  bool IsNullToken(std::string_view raw) const;
};

/// Throws ParseError for a row with the wrong number of fields.
[[noreturn]] void ThrowFieldCount(const ParseSetup& setup, int64_t line, size_t found);

/// Joins the kinds of each column's values over up to `max_rows` rows from
/// `cursor` (nulls decide nothing). Sets `rows_seen`. Throws ParseError for
/// malformed rows, as the full parse would.
std::vector<ValueKind> SampleKinds(const ParseSetup& setup, Cursor cursor, size_t max_rows, size_t& rows_seen);

/// Rows [first_row, first_row + rows) of the output live in [begin, end),
/// which starts at a row start on physical line `first_line`.
struct Chunk {
  const char* begin;
  const char* end;
  size_t first_row;
  size_t rows;
  int64_t first_line;
};

/// Final storage of one column, written by many chunks at disjoint rows.
struct ColumnStore {
  std::byte* values = nullptr;  // fixed width: rows * width bytes
  int64_t* offsets = nullptr;   // string: chunk-local start offsets until merged
};

/// What one chunk produced for one column besides its fixed-width values.
struct ChunkColumnResult {
  std::string bytes;                          // string column: this chunk's bytes
  std::vector<uint32_t> null_rows;            // chunk-local rows that are null
  ValueKind widen_to = ValueKind::kNull;      // join of values the type could not hold
};

/// Parses the chunk into `stores` (indexed by column): every column when
/// `only` is empty, else the columns where only[c] != 0 (the others are
/// tokenised and skipped). `results` has one entry per column. Throws
/// ParseError for malformed text and for values that do not fit a column
/// whose origin is not kInferred.
void ParseChunk(const ParseSetup& setup, const Chunk& chunk, std::span<const ColumnStore> stores,
                std::span<const uint8_t> only, std::span<ChunkColumnResult> results);

}  // namespace ember::csv
