// Reading a table in batches of rows with memory bounded by one batch (plus
// one read chunk), whatever the file's size: `ember predict` scores files
// larger than memory this way, and streaming sources read files through it.
//
// Per format:
//   CSV (plain or gzip): streamed. The text is read a chunk at a time (a
//     memory map whose consumed pages are given back, or a gzip stream
//     inflated piece by piece), cut at row ends found through quote parity
//     (a quoted field may hold newlines), and each batch is parsed by the
//     whole-file reader's code on all of ctx's threads. Every batch but the
//     last has exactly batch_rows rows. The schema is fixed at Open: types
//     given in options, the others inferred from the first
//     max(infer_rows, batch_rows) rows (rounded up to whole batches) exactly
//     as ReadTable infers and widens them over the whole file. A later value
//     that does not fit is a ParseError "file:line:column" with the file's
//     real line, suggesting to give the column's type explicitly. For any
//     file whose types are settled within those first rows, the batches
//     concatenate to ReadTable's frame.
//   .ember: one row group at a time, sliced into batches of at most
//     batch_rows rows (a batch never spans two row groups). Buffers stored
//     raw are zero-copy views of the memory map; zstd ones are decoded per
//     row group. Pages of finished row groups are given back, so memory is
//     bounded by the largest row group.
//   LibSVM: read whole, then sliced (zero-copy) into batches: memory is the
//     whole table's, as ReadTable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/context.h"
#include "frame/dataframe.h"
#include "frame/schema.h"
#include "io/table_io.h"

namespace ember {

struct BatchReadOptions {
  TableReadOptions table;
  /// Rows per batch, at least 1. Default 65536.
  size_t batch_rows = 65536;
  /// CSV: bytes read (or inflated) at a time, at least 1; the text of one
  /// batch is parsed in pieces of min(chunk_bytes, 1 MiB) in parallel.
  /// Results never depend on it; tests make it tiny to cut rows and quoted
  /// fields at every byte. Default 4 MiB.
  size_t chunk_bytes = size_t{4} << 20;
  /// CSV: rows sampled for type inference, as CsvReadOptions::infer_rows.
  /// Default 10000.
  size_t infer_rows = 10000;
  /// Names the progress bar that Open's reader shows over the input (bytes
  /// of a CSV, rows of .ember and LibSVM). Default "read PATH".
  std::string progress_label;
};

/// How far a BatchSource has read its input: `done` of `total` `unit`s.
struct BatchProgress {
  uint64_t done = 0;
  uint64_t total = 0;
  std::string_view unit = "rows";
};

/// One format's batch reading; TableBatchReader owns one. Implementations
/// need not be thread-safe.
class BatchSource {
 public:
  virtual ~BatchSource() = default;
  /// The schema every batch has.
  virtual const Schema& schema() const = 0;
  /// The next batch of at least one row, or nullopt at the end.
  virtual std::optional<DataFrame> Next() = 0;
  /// The input read so far, for progress bars; nullopt when unknown.
  virtual std::optional<BatchProgress> progress() const { return std::nullopt; }
};

/// Reads a table batch by batch. Movable, not copyable, not thread-safe.
class TableBatchReader {
 public:
  /// Opens `path`, choosing the format from its extension as ReadTable does,
  /// and reads what the schema needs (CSV: the header and the rows types
  /// are inferred from; .ember: the footer). The reader shows a progress bar
  /// through ctx (options.progress_label), advanced once per batch. Throws InvalidArgument for bad
  /// options, and as ReadTable for the file (NotFound, IoError, ParseError,
  /// CorruptData); the error ReadTable gives for an empty file or a
  /// header-only CSV whose types cannot be inferred is thrown here.
  static TableBatchReader Open(const std::string& path, const BatchReadOptions& options, const Context& ctx);
  /// Wraps another source of batches (CSV text in memory, tests); no
  /// progress bar.
  static TableBatchReader FromSource(std::unique_ptr<BatchSource> source);

  TableBatchReader(TableBatchReader&&) noexcept = default;
  TableBatchReader& operator=(TableBatchReader&&) noexcept = default;
  TableBatchReader(const TableBatchReader&) = delete;
  TableBatchReader& operator=(const TableBatchReader&) = delete;
  ~TableBatchReader();

  /// Fixed for the whole file (see the file comment).
  const Schema& schema() const;
  /// The next 1..batch_rows rows with schema(), or nullopt once the table
  /// is exhausted (and on every later call). Batches stay valid after later
  /// calls and after the reader is gone. Throws ParseError (CSV) or
  /// CorruptData (.ember) for a batch that cannot be read; the reader must
  /// not be used after a throw.
  std::optional<DataFrame> Next();
  /// Rows returned by Next so far.
  int64_t rows_read() const { return rows_read_; }

 private:
  explicit TableBatchReader(std::unique_ptr<BatchSource> source) : source_(std::move(source)) {}
  /// Open without the progress bar.
  static TableBatchReader OpenSource(const std::string& path, const BatchReadOptions& options, const Context& ctx);
  void StartProgress(const std::string& label, const Context& ctx);

  std::unique_ptr<BatchSource> source_;
  int64_t rows_read_ = 0;
  std::optional<Context> ctx_;        // owns the progress sink bar_ draws to
  std::unique_ptr<ProgressBar> bar_;  // null without progress
  uint64_t reported_ = 0;             // units bar_ was advanced by
};

}  // namespace ember
