// The parts of an .ember file around the data: header, footer (JSON <->
// structs, with every structural check of ember_format.h) and tail. Internal
// to the io layer; users call ember_file.h.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "frame/schema.h"
#include "io/ember_format.h"

namespace ember {

/// Where one stored buffer lies and how to decode and check it.
struct EmberBufferRef {
  uint64_t offset = 0;       // from the start of the file; a multiple of 64
  uint64_t stored_size = 0;  // bytes in the file
  uint64_t raw_size = 0;     // bytes once decoded
  EmberCodec codec = EmberCodec::kNone;
  uint64_t xxhash64 = 0;     // of the stored bytes
};

/// The four buffer slots of a column, in ColumnBuffers order.
enum class EmberBufferRole : uint8_t { kValues, kOffsets, kIndices, kValidity };
inline constexpr size_t kEmberBufferRoles = 4;
/// "values", "offsets", "indices", "validity" (the footer's keys).
std::string_view EmberBufferRoleName(EmberBufferRole role);

/// Bytes per element of a buffer (what split_zstd splits by): 8 for offsets,
/// 4 for indices, 1 for validity and string bytes, the value width otherwise.
size_t EmberElementWidth(DataType type, EmberBufferRole role);

/// One column's buffers inside one row group; absent slots are not stored.
struct EmberColumnChunk {
  std::array<std::optional<EmberBufferRef>, kEmberBufferRoles> buffers;
  const std::optional<EmberBufferRef>& operator[](EmberBufferRole r) const { return buffers[static_cast<size_t>(r)]; }
  std::optional<EmberBufferRef>& operator[](EmberBufferRole r) { return buffers[static_cast<size_t>(r)]; }
};

struct EmberRowGroup {
  uint64_t num_rows = 0;
  std::vector<EmberColumnChunk> columns;  // one per schema field
};

/// Everything the footer says.
struct EmberFooter {
  Schema schema;
  uint64_t num_rows = 0;
  std::vector<EmberRowGroup> row_groups;
};

/// The 64-byte header of format version kEmberFormatVersion.
std::array<std::byte, kEmberHeaderSize> EncodeEmberHeader();

/// The 28-byte tail for a footer of `footer_size` bytes with hash `footer_hash`.
std::array<std::byte, kEmberTailSize> EncodeEmberTail(uint64_t footer_size, uint64_t footer_hash);

/// The footer as compact JSON. Throws InvalidArgument naming `path` when a
/// column name or metadata string is not valid UTF-8.
std::string SerializeEmberFooter(const EmberFooter& footer, std::string_view path);

/// Where the footer lies, as the tail says.
struct EmberTailInfo {
  uint32_t version = 0;
  uint64_t footer_offset = 0;  // also the end of the data region
  uint64_t footer_size = 0;
};

/// Checks the header, the tail, the footer's bounds and checksum, and parses
/// and validates the footer (JSON structure, types, buffer ranges inside the
/// data region without overlaps, sizes against types and row counts). It
/// reads only the first 64 bytes and the footer and tail of `file`. Throws
/// CorruptData naming `source` (and a byte offset where one helps), or
/// CorruptData "written by format version N; this build reads up to 1".
/// Fills `tail` when it is not null.
EmberFooter ReadEmberFooter(std::span<const std::byte> file, std::string_view source, EmberTailInfo* tail = nullptr);

}  // namespace ember
