#include "io/csv_scan.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "core/error.h"
#include "core/parallel_for.h"

namespace ember::csv {

namespace {

std::string DescribeByte(char ch) {
  const auto u = static_cast<unsigned char>(ch);
  if (u >= 0x20 && u < 0x7F) return fmt::format("'{}'", ch);
  return fmt::format("byte 0x{:02x}", u);
}

const char* FindQuote(const char* p, const char* end) {
  return static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
}

}  // namespace

FieldEnd ReadField(Cursor& c, const Dialect& dialect, int64_t column, RawField& out) {
  const char* p = c.p;
  const char* end = c.end;
  const char delim = dialect.delimiter;
  if (p < end && *p == '"') {
    const int64_t start_line = c.line;
    const char* q = p + 1;
    bool escapes = false;
    const char* close;
    for (;;) {
      close = FindQuote(q, end);
      if (close == nullptr) {
        throw ParseError(dialect.source, start_line, column,
                         "quoted field opened here is never closed; add the closing quote (\")");
      }
      c.line += std::count(q, close, '\n');
      if (close + 1 < end && close[1] == '"') {
        escapes = true;
        q = close + 2;
        continue;
      }
      break;
    }
    out.text = std::string_view(p + 1, static_cast<size_t>(close - p - 1));
    out.quoted = true;
    out.has_escapes = escapes;
    p = close + 1;
    if (p == end) {
      c.p = p;
      return FieldEnd::kEndOfText;
    }
    if (*p == delim) {
      c.p = p + 1;
      return FieldEnd::kDelimiter;
    }
    if (*p == '\n') {
      c.p = p + 1;
      ++c.line;
      return FieldEnd::kLineEnd;
    }
    if (*p == '\r' && (p + 1 == end || p[1] == '\n')) {
      if (p + 1 == end) {
        c.p = end;
        return FieldEnd::kEndOfText;
      }
      c.p = p + 2;
      ++c.line;
      return FieldEnd::kLineEnd;
    }
    std::string opened = start_line == c.line ? std::string() : fmt::format(" (opened at line {})", start_line);
    throw ParseError(dialect.source, c.line, column,
                     fmt::format("unexpected {} after the closing quote of a quoted field{}; a quote inside a quoted "
                                 "field must be doubled (\"\")",
                                 DescribeByte(*p), opened));
  }
  const char* q = p;
  while (q < end) {
    const char ch = *q;
    if (ch == delim || ch == '\n') break;
    if (ch == '"') {
      throw ParseError(dialect.source, c.line, column,
                       "quote inside an unquoted field; enclose the whole field in quotes and double the inner quote");
    }
    ++q;
  }
  out.quoted = false;
  out.has_escapes = false;
  if (q < end && *q == delim) {
    out.text = std::string_view(p, static_cast<size_t>(q - p));
    c.p = q + 1;
    return FieldEnd::kDelimiter;
  }
  const char* text_end = (q > p && q[-1] == '\r') ? q - 1 : q;
  out.text = std::string_view(p, static_cast<size_t>(text_end - p));
  if (q == end) {
    c.p = end;
    return FieldEnd::kEndOfText;
  }
  c.p = q + 1;
  ++c.line;
  return FieldEnd::kLineEnd;
}

std::string_view FieldValue(const RawField& field, std::string& scratch) {
  if (!field.has_escapes) return field.text;
  scratch.clear();
  const std::string_view t = field.text;
  for (size_t i = 0; i < t.size(); ++i) {
    scratch.push_back(t[i]);
    if (t[i] == '"') ++i;  // the second quote of a doubled pair
  }
  return scratch;
}

void SkipBlankLine(Cursor& c) {
  if (*c.p == '\r') ++c.p;
  if (c.p < c.end && *c.p == '\n') {
    ++c.p;
    ++c.line;
  }
}

std::vector<size_t> FindChunkStarts(std::string_view text, size_t begin, size_t chunk_bytes, const Context& ctx) {
  EMBER_CHECK(chunk_bytes > 0, "chunk_bytes must be positive");
  std::vector<size_t> starts{begin};
  if (begin >= text.size()) return starts;
  const size_t n = text.size() - begin;
  const size_t segments = NumBlocks(n, chunk_bytes);
  if (segments <= 1) return starts;
  const char* base = text.data() + begin;

  // Quote parity at every segment start, counted in parallel; a text without
  // quotes costs one memchr per segment.
  std::vector<uint8_t> odd(segments, 0);
  ParallelFor(ctx, n, chunk_bytes, [&](const BlockRange& r) {
    const char* p = base + r.begin;
    const char* end = base + r.end;
    size_t count = 0;
    while ((p = FindQuote(p, end)) != nullptr) {
      ++count;
      ++p;
    }
    odd[r.index] = static_cast<uint8_t>(count & 1);
  });

  bool parity = false;  // quotes in [begin, segment start) are odd
  size_t last = begin;
  const char* end = text.data() + text.size();
  for (size_t k = 1; k < segments; ++k) {
    parity ^= odd[k - 1] != 0;
    const size_t nominal = begin + k * chunk_bytes;
    if (nominal <= last) continue;  // a long row or quoted field covered this segment
    const char* p = text.data() + nominal;
    bool in_quote = parity;
    if (!in_quote && p[-1] == '\n') {
      starts.push_back(nominal);
      last = nominal;
      continue;
    }
    for (; p < end; ++p) {
      if (*p == '"') {
        in_quote = !in_quote;
      } else if (*p == '\n' && !in_quote) {
        break;
      }
    }
    if (p + 1 >= end) break;  // no row starts after this point
    last = static_cast<size_t>(p + 1 - text.data());
    starts.push_back(last);
  }
  return starts;
}

namespace {

bool IsBlankRow(const char* b, const char* e) { return e == b || (e == b + 1 && *b == '\r'); }

}  // namespace

ChunkCount CountRows(std::string_view chunk, bool skip_blank_lines) {
  ChunkCount out;
  const char* p = chunk.data();
  const char* end = p + chunk.size();
  if (FindQuote(p, end) == nullptr) {
    while (p < end) {
      const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (nl == nullptr) {
        if (!(skip_blank_lines && IsBlankRow(p, end))) ++out.rows;
        break;
      }
      ++out.lines;
      if (!(skip_blank_lines && IsBlankRow(p, nl))) ++out.rows;
      p = nl + 1;
    }
    return out;
  }
  const char* row = p;
  bool in_quote = false;
  for (; p < end; ++p) {
    const char ch = *p;
    if (ch == '"') {
      in_quote = !in_quote;
    } else if (ch == '\n') {
      ++out.lines;
      if (!in_quote) {
        if (!(skip_blank_lines && IsBlankRow(row, p))) ++out.rows;
        row = p + 1;
      }
    }
  }
  if (row < end && !(skip_blank_lines && IsBlankRow(row, end))) ++out.rows;
  return out;
}

RowSpan FindRowsEnd(std::string_view text, size_t max_rows, bool skip_blank_lines, bool at_end) {
  RowSpan span;
  if (max_rows == 0 || text.empty()) return span;
  const char* begin = text.data();
  const char* end = begin + text.size();
  const char* p = begin;
  const char* row = begin;  // start of the row being scanned
  int64_t lines = 0;        // newlines in [begin, p)
  // Newlines are found with memchr up to the next quote; inside a quoted
  // field only the closing quote is searched for.
  const char* quote = FindQuote(p, end);
  if (quote == nullptr) quote = end;
  for (;;) {
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(quote - p)));
    if (nl != nullptr) {
      ++lines;
      p = nl + 1;
      if (!(skip_blank_lines && IsBlankRow(row, nl))) ++span.rows;
      row = p;
      span.bytes = static_cast<size_t>(p - begin);
      span.lines = lines;
      if (span.rows == max_rows) return span;
      continue;
    }
    if (quote == end) break;
    // Skip the quoted part: up to its closing quote, counting its newlines.
    const char* close = FindQuote(quote + 1, end);
    if (close == nullptr) {  // never closed: the parser reports it
      lines += std::count(quote + 1, end, '\n');
      p = end;
      break;
    }
    lines += std::count(quote + 1, close, '\n');
    p = close + 1;
    quote = FindQuote(p, end);
    if (quote == nullptr) quote = end;
  }
  if (at_end) {
    if (row < end && !(skip_blank_lines && IsBlankRow(row, end))) ++span.rows;
    span.bytes = text.size();
    span.lines = lines;
  }
  return span;
}

}  // namespace ember::csv
