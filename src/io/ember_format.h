// The .ember native columnar file: its byte layout (this comment is the
// specification) and the constants shared by the writer and the reader.
//
// .ember format, version 1
// ========================
// All integers are little-endian. A file is:
//
//   [header: 64 bytes] [data region: buffers] [footer: JSON] [tail: 28 bytes]
//
// Header (bytes 0..63)
//   0..7    magic "EMBERCOL" (ASCII, no terminator)
//   8..11   u32 format version (1)
//   12..63  reserved, zero (a version-1 reader rejects non-zero bytes here)
//
// Data region (from byte 64 up to the footer)
//   A sequence of buffers. Every buffer starts at a file offset that is a
//   multiple of 64; the gaps between buffers are zero padding. Buffers never
//   overlap. The file holds zero or more row groups (one per
//   EmberFileWriter::Append of a non-empty batch); inside a row group every
//   column stores the buffers of frame/column.h ColumnBuffers that its type
//   uses, with the same contents and element types:
//     bool/int32/int64/float32/float64  values   (rows * width bytes)
//     string         offsets  (int64, rows + 1, first 0, last = value bytes)
//                    values   (UTF-8 bytes)
//     vector[d]      values   (float32, rows * d, row-major), d > 0
//     sparse_vector[d] offsets (int64, rows + 1, first 0, last = entries)
//                    indices  (int32, entries, each in [0, d))
//                    values   (float32, entries)
//     any type       validity (optional; one byte per row, 1 valid, 0 null)
//   Offsets are local to their row group: they start at 0 in every group.
//   Each buffer is stored with one codec:
//     "none"        the raw bytes (stored_size == raw_size)
//     "zstd"        one or more zstd frames that decompress to exactly
//                   raw_size bytes
//     "split_zstd"  byte-stream split, then zstd. The elements of the
//                   buffer, of width w (8 for int64, float64 and offsets; 4
//                   for int32, float32, vector values and sparse indices;
//                   never 1), are taken in blocks of 65536 (the last block
//                   shorter); a block of c elements is rearranged in place
//                   into w planes of c bytes, plane k holding byte k of each
//                   element in order. The rearranged buffer is stored as for
//                   "zstd". Floats compress better and decode about twice as
//                   fast this way (as Parquet's BYTE_STREAM_SPLIT); blocks
//                   let a reader undo the split in cache.
//   The xxhash64 (seed 0) is taken over the stored bytes, i.e. after
//   compression.
//
// Footer (the bytes between the end of the data region and the tail)
//   UTF-8 JSON object:
//   {
//     "num_rows": u64,                       // sum of the row groups' rows
//     "schema": [ {"name": str, "type": str, // DataType::ToString form
//                  "metadata": {str: str}}, ... ],
//     "row_groups": [
//       {"num_rows": u64,
//        "columns": [                        // one per schema field, in order
//          {"values": BUF, "offsets": BUF, "indices": BUF, "validity": BUF},
//          ...]},                            // absent key = buffer not stored
//       ...]
//   }
//   BUF = {"offset": u64, "stored_size": u64, "raw_size": u64,
//          "codec": "none" | "zstd" | "split_zstd",
//          "xxhash64": "16 lowercase hex digits"}
//   Unknown keys are ignored; every key listed above is required (the
//   buffer keys as the column type demands, and only those). A file with no
//   columns has num_rows 0.
//
// Tail (the last 28 bytes)
//   u64 footer length in bytes
//   u64 xxhash64 (seed 0) of the footer bytes
//   u32 format version (equal to the header's)
//   magic "EMBERCOL"
//
// Readers verify, before trusting anything: the file size, both magics, the
// version (a newer one is refused with a message naming it), the footer's
// bounds and checksum, the JSON structure, that every buffer lies inside the
// data region at an aligned offset without overlapping another, that sizes
// agree with the types and row counts, the buffers' checksums (unless told
// not to), the decompressed sizes, and finally the column contents through
// Column::Make.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ember {

/// The eight magic bytes at both ends of a file.
inline constexpr std::string_view kEmberMagic = "EMBERCOL";
/// The format version this build writes and the newest it reads.
inline constexpr uint32_t kEmberFormatVersion = 1;
inline constexpr size_t kEmberHeaderSize = 64;
/// u64 footer length + u64 footer hash + u32 version + magic.
inline constexpr size_t kEmberTailSize = 8 + 8 + 4 + 8;
/// Alignment of every buffer's start offset.
inline constexpr size_t kEmberAlignment = 64;
/// The largest expansion a zstd frame allows (a 4-byte RLE block encodes at
/// most 128 KiB); a larger raw_size claim is corrupt, which bounds the memory
/// a hostile file can make a reader allocate.
inline constexpr uint64_t kZstdMaxExpansion = 32768;
/// Elements per block of the split_zstd byte-stream split.
inline constexpr size_t kEmberSplitBlock = 65536;

/// How one stored buffer is encoded.
enum class EmberCodec : uint8_t { kNone, kZstd, kSplitZstd };

/// "none", "zstd" or "split_zstd".
std::string_view EmberCodecName(EmberCodec codec);

}  // namespace ember
