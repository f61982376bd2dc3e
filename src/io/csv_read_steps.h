// The steps of reading a CSV table, shared by the whole-file reader
// (csv_reader.cc: every step once over the whole text) and the batch reader
// (csv_batch_reader.cc: the header and inference once, then ParseRows over
// one batch of rows at a time). Internal to the io layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/context.h"
#include "frame/dataframe.h"
#include "io/csv_parse.h"
#include "io/csv_reader.h"
#include "io/csv_scan.h"

namespace ember::csv {

/// Throws InvalidArgument for a bad option.
void ValidateOptions(const CsvReadOptions& options);

/// Reads the header line at the start of `text` (BOM already removed; for
/// has_header false, measures the first row without consuming it) and
/// builds the parse setup: names, the user's types (origin kUser), string
/// elsewhere. Returns with `cur` at the first data row. Throws ParseError
/// for an empty text, a duplicate or non-UTF-8 name, and InvalidArgument
/// for a column_types name that is not a column. REQUIRES: `text` holds at
/// least the whole first row, or everything there is.
ParseSetup ReadHeader(std::string_view text, std::string_view source, const CsvReadOptions& options, Cursor& cur);

/// Gives every column of origin kInferred the type sampled from the first
/// options.infer_rows rows at `cur` and returns the rows sampled. With no
/// rows: returns 0 when every column has the user's type, else throws
/// ParseError (the types cannot be inferred).
size_t InferColumnTypes(ParseSetup& setup, const Cursor& cur, const CsvReadOptions& options);

/// The table with setup's columns and no rows.
DataFrame EmptyFrame(const ParseSetup& setup);

/// Parses `text`, whole rows starting at a row start on physical line
/// `first_line`, into a frame: chunks of options.chunk_bytes parsed on all
/// of ctx's threads. Columns of origin kInferred whose values do not fit are
/// widened (setup's types are updated); other misfits throw ParseError with
/// the file's line. `release` (may be empty) gets each chunk once parsed;
/// `progress` (may be null) advances by each chunk's bytes once parsed.
DataFrame ParseRows(ParseSetup& setup, std::string_view text, int64_t first_line, const CsvReadOptions& options,
                    const Context& ctx, const ReleaseFn& release, ProgressBar* progress = nullptr);

}  // namespace ember::csv
