// Writing DataFrames as CSV: a header, RFC 4180 quoting only where needed,
// and numbers in shortest round-trip form, so CSV -> DataFrame -> CSV loses
// nothing. Files appear under their final name only on Commit.
#pragma once

#include <string>

#include "core/atomic_file.h"
#include "core/context.h"
#include "frame/dataframe.h"
#include "frame/schema.h"

namespace ember {

struct CsvWriteOptions {
  /// Field separator; any byte except '"', CR and LF.
  char delimiter = ',';
  /// Write a first line with the column names.
  bool header = true;
  /// Text written, unquoted, for a null. It must not need quoting itself;
  /// a string value equal to it is written quoted so readers can tell them
  /// apart (with the default "", an empty string is written as "").
  std::string null_token = "";
};

/// Writes batches of one schema to one CSV file, in order. Not thread-safe.
/// Nothing exists under the final path until Commit(); destroying the writer
/// without committing leaves no file there.
class CsvStreamWriter {
 public:
  /// Starts a file at `path` and writes the header. Throws SchemaError
  /// naming the first vector column (CSV holds scalars only),
  /// InvalidArgument for bad options, IoError / NotFound naming the path.
  static CsvStreamWriter Open(std::string path, Schema schema, CsvWriteOptions options);
  CsvStreamWriter(CsvStreamWriter&&) noexcept = default;

  /// Appends the rows of `batch`, formatting blocks of rows on ctx's threads
  /// and writing them in order. REQUIRES: batch's names and types equal the
  /// schema given to Open (else SchemaError).
  void Append(const DataFrame& batch, const Context& ctx);
  /// Flushes, syncs and moves the file to its final name.
  void Commit();

 private:
  CsvStreamWriter(AtomicFileWriter file, Schema schema, CsvWriteOptions options)
      : file_(std::move(file)), schema_(std::move(schema)), options_(std::move(options)) {}

  AtomicFileWriter file_;
  Schema schema_;
  CsvWriteOptions options_;
};

/// Writes `frame` to `path` atomically (see CsvStreamWriter).
void WriteCsv(const DataFrame& frame, const std::string& path, const CsvWriteOptions& options, const Context& ctx);

}  // namespace ember
