// Reading and writing .ember, ember's native columnar file (layout in
// io/ember_format.h). Uncompressed files load as zero-copy views of a memory
// map; every read checks the file's integrity before trusting it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.h"
#include "frame/dataframe.h"
#include "frame/schema.h"

namespace ember {

enum class Compression { kNone, kZstd };

struct EmberWriteOptions {
  /// kZstd compresses each buffer on its own (multi-byte elements after a
  /// byte-stream split: codec split_zstd); a buffer that does not shrink is
  /// stored raw. Default: no compression (fastest to load, zero-copy).
  Compression compression = Compression::kNone;
  /// zstd level in [1, 22]; only read with kZstd. Default 3.
  int zstd_level = 3;
};

/// Streaming writer of one .ember file: each non-empty Append becomes one
/// row group and is written out at once, so memory stays bounded by one
/// batch. Data goes to a temporary file renamed into place by Commit(); a
/// writer destroyed without Commit(), or after a failure, leaves no file
/// under `path`. Not thread-safe (Append parallelises internally).
class EmberFileWriter {
 public:
  /// Starts a file whose batches will have exactly `schema`. Throws
  /// InvalidArgument for a bad option or a dense vector of dimension 0, and
  /// IoError / NotFound naming `path` when it cannot be created.
  static EmberFileWriter Open(std::string path, Schema schema, EmberWriteOptions options = {});
  EmberFileWriter(EmberFileWriter&&) noexcept;
  EmberFileWriter& operator=(EmberFileWriter&&) noexcept;
  ~EmberFileWriter();

  /// Writes `batch` as one row group (nothing for a batch of zero rows),
  /// compressing and hashing its buffers on ctx.threads() threads. REQUIRES:
  /// not committed. Throws SchemaError when batch.schema() differs from the
  /// file's (names, types, field metadata), IoError when a write fails.
  void Append(const DataFrame& batch, const Context& ctx);
  /// Writes the footer, fsyncs and renames the file into place. REQUIRES:
  /// called once. Throws IoError when an earlier Append failed or the
  /// final writes fail.
  void Commit();

  uint64_t num_rows() const;
  size_t row_groups() const;

 private:
  struct State;
  explicit EmberFileWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// Writes `frame` to `path` as a single row group (the zero-copy-loadable
/// layout when uncompressed). Throws as EmberFileWriter.
void WriteEmber(const DataFrame& frame, const std::string& path, const EmberWriteOptions& options,
                const Context& ctx);

struct EmberReadOptions {
  /// Check every data buffer's xxhash64 (parallel over columns). The header,
  /// tail and footer are always checked. Default true.
  bool verify_checksums = true;
};

/// Loads a whole .ember file. Buffers stored raw in a file with one row group
/// are views of a read-only memory map that the returned frame keeps alive;
/// others are assembled (decompressed straight into place) in parallel over
/// columns. Throws NotFound / IoError naming the path, and CorruptData
/// naming the path and what is wrong (and the column, row group and byte
/// offset where a buffer is at fault).
DataFrame ReadEmber(const std::string& path, const EmberReadOptions& options, const Context& ctx);

/// As ReadEmber, from bytes in memory (the fuzzer's entry point). The bytes
/// are copied once, so the frame does not refer to `bytes` afterwards.
/// `source_name` stands for the file name in messages.
DataFrame ReadEmberBytes(std::span<const std::byte> bytes, std::string_view source_name,
                         const EmberReadOptions& options, const Context& ctx);

/// Reads a .ember file one row group at a time, for readers whose memory
/// must stay bounded by a row group. Movable, not copyable; const methods
/// are thread-safe.
class EmberRowGroupReader {
 public:
  /// Maps `path` and checks its header, tail and footer (no data page is
  /// read). Throws as ReadEmber.
  static EmberRowGroupReader Open(const std::string& path, const EmberReadOptions& options);
  EmberRowGroupReader(EmberRowGroupReader&&) noexcept;
  EmberRowGroupReader& operator=(EmberRowGroupReader&&) noexcept;
  ~EmberRowGroupReader();

  const Schema& schema() const;
  size_t num_row_groups() const;
  uint64_t num_rows(size_t group) const;
  /// The rows of row group `group` (< num_row_groups()), built in parallel
  /// over columns: buffers stored raw are zero-copy views of the map (the
  /// frame keeps it alive), zstd ones are decoded into owned memory.
  /// Checksums are checked as the options say. Throws CorruptData as
  /// ReadEmber.
  DataFrame ReadRowGroup(size_t group, const Context& ctx) const;
  /// Drops the pages of row group `group` from this process's resident set.
  /// Frames already read stay valid: their pages come back from the page
  /// cache when touched.
  void ReleaseRowGroup(size_t group) const;

 private:
  struct State;
  explicit EmberRowGroupReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// Sizes of one column summed over its row groups.
struct EmberColumnInfo {
  uint64_t stored_bytes = 0;  // in the file
  uint64_t raw_bytes = 0;     // in memory once loaded
  bool compressed = false;    // whether any of its buffers is zstd-compressed
};

/// What the footer of a file says.
struct EmberFileInfo {
  Schema schema;
  uint64_t num_rows = 0;
  size_t row_groups = 0;
  uint32_t version = 0;
  uint64_t file_bytes = 0;
  uint64_t footer_bytes = 0;
  std::vector<EmberColumnInfo> columns;  // one per schema field
};

/// Reads and checks the header, tail and footer only; no data page is
/// touched. Throws as ReadEmber.
EmberFileInfo ReadEmberInfo(const std::string& path);

}  // namespace ember
