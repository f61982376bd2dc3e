// Streaming CSV reading in batches of rows (the CSV part of
// table_batch_reader.h, which describes the behaviour): plain files through
// a memory map whose consumed pages are released, gzip through a streaming
// inflater, or text in memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/context.h"
#include "io/csv_reader.h"
#include "io/table_batch_reader.h"

namespace ember {

struct CsvBatchOptions {
  /// How to parse; csv.chunk_bytes is the parallel piece size and
  /// csv.infer_rows the inference sample.
  CsvReadOptions csv;
  /// Rows per batch, at least 1.
  size_t batch_rows = 65536;
  /// Bytes read (or inflated) at a time, at least 1.
  size_t read_bytes = size_t{4} << 20;
};

/// Opens a CSV file (gzip when the name ends in .gz or the bytes start with
/// the gzip magic) for batch reading. Throws as TableBatchReader::Open.
std::unique_ptr<BatchSource> OpenCsvBatches(const std::string& path, const CsvBatchOptions& options,
                                            const Context& ctx);

/// As OpenCsvBatches for text in memory; `source_name` names it in
/// messages. REQUIRES: `text` outlives the source.
std::unique_ptr<BatchSource> OpenCsvTextBatches(std::string_view text, std::string source_name,
                                                const CsvBatchOptions& options, const Context& ctx);

}  // namespace ember
