// Reading CSV text into a DataFrame: RFC 4180 quoting, a header line, type
// inference over a sample of rows, and a parallel two-pass parse of a
// memory-mapped (or gzip-inflated) file straight into the final columns.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.h"
#include "frame/data_type.h"
#include "frame/dataframe.h"

namespace ember {

struct CsvReadOptions {
  /// Field separator; any byte except '"', CR and LF.
  char delimiter = ',';
  /// The first line names the columns. Without a header the columns are
  /// named c0, c1, ... and the first line is data.
  bool has_header = true;
  /// Unquoted field texts that mean null. By default only the empty field:
  /// "None" and "NA" are values. A quoted empty field ("") is the empty
  /// string in a string column and null in any other.
  std::vector<std::string> null_tokens = {""};
  /// Per-column types by name that replace inference; a value that does not
  /// parse as its column's type is an error. Every name must be a column.
  std::map<std::string, DataType> column_types;
  /// Rows sampled (from the top) for type inference. Columns whose later
  /// values do not fit the sampled type are widened, never rejected.
  size_t infer_rows = 10000;
  /// Type of inferred decimal columns: float64 or float32.
  DataType float_type = DataType::Float64();
  /// Target bytes per parallel chunk. The result never depends on it (nor on
  /// the thread count); smaller values only exercise more chunk boundaries.
  /// At most 2^30.
  size_t chunk_bytes = size_t{1} << 20;
};

/// Reads a CSV file: plain, or gzip when the name ends in .gz or the bytes
/// start with the gzip magic. Type inference: a column whose non-null values
/// are all true/false (any case) is bool; else int32, int64, `float_type`
/// or string, the smallest that holds every value; a column without
/// values is string. Numbers may have spaces around them.
/// Throws NotFound / IoError naming the path, CorruptData for a corrupt
/// .gz, ParseError ("file:line:column: ...", physical 1-based lines with the
/// header as line 1, 1-based field numbers) for malformed text, and
/// InvalidArgument for bad options.
DataFrame ReadCsv(const std::string& path, const CsvReadOptions& options, const Context& ctx);

/// As ReadCsv for text in memory; `source_name` names it in messages.
DataFrame ParseCsv(std::string_view text, std::string_view source_name, const CsvReadOptions& options,
                   const Context& ctx);

}  // namespace ember
