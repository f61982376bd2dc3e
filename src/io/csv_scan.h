// CSV tokenising (RFC 4180 fields, quotes, CRLF/LF) and the cheap passes
// that split a text into independently parseable chunks: row-start chunk
// boundaries found through quote parity, and per-chunk row and line counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.h"

namespace ember::csv {

/// How a field ended.
enum class FieldEnd : uint8_t { kDelimiter, kLineEnd, kEndOfText };

/// One tokenised field. For an unquoted field `text` is its bytes (a CR
/// before the line end removed); for a quoted one the bytes between the
/// quotes, with doubled quotes still doubled when `has_escapes`.
struct RawField {
  std::string_view text;
  bool quoted = false;
  bool has_escapes = false;
};

/// A position in the text and its 1-based physical line (quoted newlines
/// count), which error messages report.
struct Cursor {
  const char* p;
  const char* end;
  int64_t line;
};

/// Where errors are reported and how fields are separated.
struct Dialect {
  std::string_view source;  // file name for messages
  char delimiter = ',';
};

/// Reads the field at `c.p` and its terminator. Throws ParseError at the
/// field (`column` is its 1-based number) for a quoted field that is never
/// closed (at the line where it opened), bytes after a closing quote, or a
/// quote inside an unquoted field.
FieldEnd ReadField(Cursor& c, const Dialect& dialect, int64_t column, RawField& out);

/// The field's value: its text, or with doubled quotes collapsed into
/// `scratch` (reused, so steady-state parsing does not allocate).
std::string_view FieldValue(const RawField& field, std::string& scratch);

/// True when `p` starts an empty line (LF, CRLF, or a lone CR at the end).
inline bool IsBlankLineAt(const char* p, const char* end) {
  return p < end && (*p == '\n' || (*p == '\r' && (p + 1 == end || p[1] == '\n')));
}
/// Steps over the blank line at c.p. REQUIRES: IsBlankLineAt(c.p, c.end).
void SkipBlankLine(Cursor& c);

/// Gives back the pages of [p, p + n) once a pass is done with them (a
/// memory-mapped file's resident pages); may be empty.
using ReleaseFn = std::function<void(const char* p, size_t n)>;

/// Byte offsets in `text` where chunks start: the first is `begin`, each
/// later one is the first row start at or after begin + k * chunk_bytes
/// (found through quote parity, so quoted newlines never split a row).
/// Depends only on the text and chunk_bytes, never on the thread count.
std::vector<size_t> FindChunkStarts(std::string_view text, size_t begin, size_t chunk_bytes, const Context& ctx);

/// Rows and physical lines of one chunk that starts at a row start.
struct ChunkCount {
  size_t rows = 0;
  int64_t lines = 0;  // newline characters in the chunk
};
/// Counts rows the way ReadField tokenises them (for well-formed text);
/// blank lines are not rows when `skip_blank_lines`.
ChunkCount CountRows(std::string_view chunk, bool skip_blank_lines);

/// The first rows of a text that starts at a row start, as CountRows counts
/// them: `bytes` runs to just after the line end of the last row (blank
/// lines before a row belong to it), `lines` counts the newlines in those
/// bytes.
struct RowSpan {
  size_t bytes = 0;
  size_t rows = 0;
  int64_t lines = 0;
};
/// Finds the end of the first `max_rows` rows of `text` (quote-aware, so a
/// quoted newline never ends a row). When fewer rows end in `text`: with
/// `at_end` (nothing follows the text) the rest is one more row, unless
/// blank, and the span is the whole text; without it the span stops after
/// the last complete row, for the caller to retry with more text.
RowSpan FindRowsEnd(std::string_view text, size_t max_rows, bool skip_blank_lines, bool at_end);

}  // namespace ember::csv
