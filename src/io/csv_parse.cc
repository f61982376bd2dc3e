#include "io/csv_parse.h"

#include <charconv>
#include <cstring>
#include <type_traits>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"

namespace ember::csv {

bool ParseSetup::IsNullToken(std::string_view raw) const {
  for (const std::string& token : null_tokens) {
    if (raw == token) return true;
  }
  return false;
}

void ThrowFieldCount(const ParseSetup& setup, int64_t line, size_t found) {
  const size_t expected = setup.columns.size();
  const int64_t column = static_cast<int64_t>(std::min(found, expected)) + 1;
  throw ParseError(setup.dialect.source, line, column,
                   fmt::format("row has {} field{}, expected {} (as in the {}); quote fields that contain '{}'",
                               found, found == 1 ? "" : "s", expected,
                               setup.has_header ? "header" : "first row", setup.dialect.delimiter));
}

namespace {

// Reads the rest of a row whose last expected field ended with a delimiter,
// to report how many fields it really has.
[[noreturn]] void ThrowTooMany(const ParseSetup& setup, Cursor& cur, int64_t line) {
  size_t found = setup.columns.size();
  RawField f;
  FieldEnd e = FieldEnd::kDelimiter;
  while (e == FieldEnd::kDelimiter) {
    e = ReadField(cur, setup.dialect, static_cast<int64_t>(found) + 1, f);
    ++found;
  }
  ThrowFieldCount(setup, line, found);
}

}  // namespace

std::vector<ValueKind> SampleKinds(const ParseSetup& setup, Cursor cur, size_t max_rows, size_t& rows_seen) {
  const size_t ncols = setup.columns.size();
  std::vector<ValueKind> kinds(ncols, ValueKind::kNull);
  std::string scratch;
  RawField f;
  rows_seen = 0;
  while (cur.p < cur.end && rows_seen < max_rows) {
    if (setup.skip_blank_lines() && IsBlankLineAt(cur.p, cur.end)) {
      SkipBlankLine(cur);
      continue;
    }
    const int64_t line = cur.line;
    FieldEnd e = FieldEnd::kDelimiter;
    for (size_t c = 0; c < ncols; ++c) {
      if (c > 0 && e != FieldEnd::kDelimiter) ThrowFieldCount(setup, line, c);
      e = ReadField(cur, setup.dialect, static_cast<int64_t>(c) + 1, f);
      ValueKind& k = kinds[c];
      if (setup.columns[c].origin != TypeOrigin::kInferred || k == ValueKind::kString) continue;
      if (!f.quoted && setup.IsNullToken(f.text)) continue;
      const std::string_view v = FieldValue(f, scratch);
      double d;
      if (k == ValueKind::kFloat && ParseFloat64(v, d)) continue;  // the common case, one parse
      k = JoinKinds(k, ClassifyValue(v));
    }
    if (e == FieldEnd::kDelimiter) ThrowTooMany(setup, cur, line);
    ++rows_seen;
  }
  return kinds;
}

namespace {

enum class Slot : uint8_t { kBool, kInt32, kInt64, kFloat32, kFloat64, kString };

Slot SlotOf(DataType t) {
  switch (t.id) {
    case TypeId::kBool: return Slot::kBool;
    case TypeId::kInt32: return Slot::kInt32;
    case TypeId::kInt64: return Slot::kInt64;
    case TypeId::kFloat32: return Slot::kFloat32;
    case TypeId::kFloat64: return Slot::kFloat64;
    default: return Slot::kString;
  }
}

class ChunkParser {
 public:
  ChunkParser(const ParseSetup& setup, const Chunk& chunk, std::span<const ColumnStore> stores,
              std::span<ChunkColumnResult> results)
      : setup_(setup), chunk_(chunk), stores_(stores), results_(results),
        cur_{chunk.begin, chunk.end, chunk.first_line},
        delim_(setup.dialect.delimiter),
        trim_in_fast_path_(delim_ != ' ') {
    slots_.reserve(setup.columns.size());
    for (const ColumnSpec& spec : setup.columns) slots_.push_back(SlotOf(spec.type));
  }

  void Run(std::span<const uint8_t> only) {
    const size_t ncols = setup_.columns.size();
    const bool skip_blank = setup_.skip_blank_lines();
    size_t row = 0;
    while (cur_.p < cur_.end) {
      if (skip_blank && IsBlankLineAt(cur_.p, cur_.end)) {
        SkipBlankLine(cur_);
        continue;
      }
      EMBER_CHECK(row < chunk_.rows, "chunk at line {} holds more rows than counted ({})", chunk_.first_line,
                  chunk_.rows);
      const int64_t line = cur_.line;
      FieldEnd e = FieldEnd::kDelimiter;
      for (size_t c = 0; c < ncols; ++c) {
        if (c > 0 && e != FieldEnd::kDelimiter) ThrowFieldCount(setup_, line, c);
        if (only.empty() || only[c] != 0) {
          e = ParseField(c, row);
        } else {
          RawField f;
          e = ReadField(cur_, setup_.dialect, static_cast<int64_t>(c) + 1, f);
        }
      }
      if (e == FieldEnd::kDelimiter) ThrowTooMany(setup_, cur_, line);
      ++row;
    }
    EMBER_CHECK(row == chunk_.rows, "chunk at line {} holds {} rows, counted {}", chunk_.first_line, row,
                chunk_.rows);
  }

 private:
  FieldEnd ParseField(size_t c, size_t row) {
    switch (slots_[c]) {
      case Slot::kFloat64: return Numeric<double>(c, row);
      case Slot::kFloat32: return Numeric<float>(c, row);
      case Slot::kInt32: return Numeric<int32_t>(c, row);
      case Slot::kInt64: return Numeric<int64_t>(c, row);
      case Slot::kBool: return Slow(c, row);
      case Slot::kString: return String(c, row);
    }
    return Slow(c, row);
  }

  template <class T>
  T* Values(size_t c) {
    return reinterpret_cast<T*>(stores_[c].values) + chunk_.first_row;
  }

  // The hot path: parse a number straight from the text and accept it when
  // the delimiter or line end follows; anything else (quotes, nulls, bad
  // values, '+' signs) takes the general path.
  template <class T>
  FieldEnd Numeric(size_t c, size_t row) {
    const char* q = cur_.p;
    const char* end = cur_.end;
    if (trim_in_fast_path_) {
      while (q < end && *q == ' ') ++q;
    }
    T v;
    const char* after;
    bool ok;
    if constexpr (std::is_floating_point_v<T>) {
      const auto r = ParseNumberPrefix(q, end, v);
      ok = r.ec == std::errc();
      after = r.ptr;
    } else {
      const auto r = std::from_chars(q, end, v);
      ok = r.ec == std::errc();
      after = r.ptr;
    }
    if (ok) {
      if (trim_in_fast_path_) {
        while (after < end && *after == ' ') ++after;
      }
      if (after == end) {
        Values<T>(c)[row] = v;
        cur_.p = end;
        return FieldEnd::kEndOfText;
      }
      const char ch = *after;
      if (ch == delim_) {
        Values<T>(c)[row] = v;
        cur_.p = after + 1;
        return FieldEnd::kDelimiter;
      }
      if (ch == '\n' || (ch == '\r' && after + 1 < end && after[1] == '\n')) {
        Values<T>(c)[row] = v;
        cur_.p = after + (ch == '\n' ? 1 : 2);
        ++cur_.line;
        return FieldEnd::kLineEnd;
      }
    }
    return Slow(c, row);
  }

  // General path for fixed-width columns.
  FieldEnd Slow(size_t c, size_t row) {
    const int64_t line = cur_.line;
    RawField f;
    const FieldEnd e = ReadField(cur_, setup_.dialect, static_cast<int64_t>(c) + 1, f);
    const std::string_view v = FieldValue(f, scratch_);
    if ((!f.quoted && setup_.IsNullToken(f.text)) || TrimSpaces(v).empty()) {
      results_[c].null_rows.push_back(static_cast<uint32_t>(row));
      StoreZero(c, row);
      return e;
    }
    bool ok = false;
    switch (slots_[c]) {
      case Slot::kBool: ok = ParseBool(v, Values<uint8_t>(c)[row]); break;
      case Slot::kInt32: ok = ParseInt32(v, Values<int32_t>(c)[row]); break;
      case Slot::kInt64: ok = ParseInt64(v, Values<int64_t>(c)[row]); break;
      case Slot::kFloat32: ok = ParseFloat32(v, Values<float>(c)[row]); break;
      case Slot::kFloat64: ok = ParseFloat64(v, Values<double>(c)[row]); break;
      case Slot::kString: break;
    }
    if (!ok) Mismatch(c, row, v, line);
    return e;
  }

  FieldEnd String(size_t c, size_t row) {
    const int64_t line = cur_.line;
    RawField f;
    const FieldEnd e = ReadField(cur_, setup_.dialect, static_cast<int64_t>(c) + 1, f);
    std::string& bytes = results_[c].bytes;
    stores_[c].offsets[chunk_.first_row + row] = static_cast<int64_t>(bytes.size());
    if (!f.quoted && setup_.IsNullToken(f.text)) {
      results_[c].null_rows.push_back(static_cast<uint32_t>(row));
      return e;
    }
    const std::string_view v = FieldValue(f, scratch_);
    const size_t bad = FirstInvalidUtf8(v);
    if (bad != std::string_view::npos) {
      throw ParseError(setup_.dialect.source, line, static_cast<int64_t>(c) + 1,
                       fmt::format("column '{}': invalid UTF-8 (byte 0x{:02x} at byte {} of the field); "
                                   "save the file as UTF-8",
                                   setup_.columns[c].name, static_cast<unsigned char>(v[bad]), bad + 1));
    }
    bytes.append(v);
    return e;
  }

  void StoreZero(size_t c, size_t row) {
    switch (slots_[c]) {
      case Slot::kBool: Values<uint8_t>(c)[row] = 0; break;
      case Slot::kInt32: Values<int32_t>(c)[row] = 0; break;
      case Slot::kInt64: Values<int64_t>(c)[row] = 0; break;
      case Slot::kFloat32: Values<float>(c)[row] = 0; break;
      case Slot::kFloat64: Values<double>(c)[row] = 0; break;
      case Slot::kString: break;
    }
  }

  void Mismatch(size_t c, size_t row, std::string_view value, int64_t line) {
    const ColumnSpec& spec = setup_.columns[c];
    if (spec.origin == TypeOrigin::kUser) {
      throw ParseError(setup_.dialect.source, line, static_cast<int64_t>(c) + 1,
                       fmt::format("column '{}': cannot parse '{}' as {} (set its type to string in the schema, or "
                                   "fix the value)",
                                   spec.name, TruncateForMessage(value), spec.type.ToString()));
    }
    if (spec.origin == TypeOrigin::kEarlierRows) {
      throw ParseError(setup_.dialect.source, line, static_cast<int64_t>(c) + 1,
                       fmt::format("column '{}': cannot parse '{}' as {}, the type inferred from the first rows of "
                                   "the file; give the column its type explicitly (column_types, e.g. --types "
                                   "'{}:{}')",
                                   spec.name, TruncateForMessage(value), spec.type.ToString(), spec.name,
                                   KindToType(JoinKinds(TypeToKind(spec.type), ClassifyValue(value)),
                                              spec.type == DataType::Float32() ? spec.type : DataType::Float64())
                                       .ToString()));
    }
    results_[c].widen_to = JoinKinds(results_[c].widen_to, ClassifyValue(value));
    StoreZero(c, row);
  }

  const ParseSetup& setup_;
  const Chunk& chunk_;
  std::span<const ColumnStore> stores_;
  std::span<ChunkColumnResult> results_;
  Cursor cur_;
  const char delim_;
  const bool trim_in_fast_path_;
  std::vector<Slot> slots_;
  std::string scratch_;
};

}  // namespace

void ParseChunk(const ParseSetup& setup, const Chunk& chunk, std::span<const ColumnStore> stores,
                std::span<const uint8_t> only, std::span<ChunkColumnResult> results) {
  ChunkParser(setup, chunk, stores, results).Run(only);
}

}  // namespace ember::csv
