#include "io/csv_writer.h"

#include <charconv>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/error.h"
#include "core/parallel_for.h"

namespace ember {

namespace {

constexpr size_t kBlockRows = 4096;
// Blocks formatted before they are written: bounds the text held in memory.
constexpr size_t kBlocksPerWindow = 64;

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

bool NeedsQuotes(std::string_view s, const CsvWriteOptions& o) {
  if (s.empty()) return o.null_token.empty();
  if (s == o.null_token) return true;  // includes "" with the default token
  if (IsSpace(s.front()) || IsSpace(s.back())) return true;
  for (char c : s) {
    if (c == o.delimiter || c == '"' || c == '\n' || c == '\r') return true;
  }
  return false;
}

void AppendText(std::string& out, std::string_view s, const CsvWriteOptions& o) {
  if (!NeedsQuotes(s, o)) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

template <class T>
void AppendNumber(std::string& out, T value) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), value);
  const std::string_view s(buf, static_cast<size_t>(r.ptr - buf));
  out.append(s);
  if constexpr (std::is_floating_point_v<T>) {
    // "3" would read back as an integer column; "3.0" keeps it a float.
    if (s.find_first_not_of("-0123456789") == std::string_view::npos) out.append(".0");
  }
}

void AppendValue(std::string& out, const Column& col, size_t i, const CsvWriteOptions& o) {
  if (col.IsNull(i)) {
    out.append(o.null_token);
    return;
  }
  switch (col.type().id) {
    case TypeId::kBool: out.append(col.values<uint8_t>()[i] != 0 ? "true" : "false"); break;
    case TypeId::kInt32: AppendNumber(out, col.values<int32_t>()[i]); break;
    case TypeId::kInt64: AppendNumber(out, col.values<int64_t>()[i]); break;
    case TypeId::kFloat32: AppendNumber(out, col.values<float>()[i]); break;
    case TypeId::kFloat64: AppendNumber(out, col.values<double>()[i]); break;
    case TypeId::kString: AppendText(out, col.StringAt(i), o); break;
    default: EMBER_CHECK(false, "CSV writer reached a {} column", col.type().ToString());
  }
}

}  // namespace

CsvStreamWriter CsvStreamWriter::Open(std::string path, Schema schema, CsvWriteOptions options) {
  if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r') {
    throw InvalidArgument("CSV delimiter cannot be a quote, CR or LF; use ',', ';', '\\t', '|' or similar");
  }
  const std::string_view token = options.null_token;
  if (token.find_first_of(std::string{options.delimiter, '"', '\n', '\r'}) != std::string_view::npos ||
      (!token.empty() && (IsSpace(token.front()) || IsSpace(token.back())))) {
    throw InvalidArgument(fmt::format("CSV null_token '{}' would need quoting; use one without the delimiter, "
                                      "quotes, line breaks or surrounding spaces (for example \"\" or NA)",
                                      options.null_token));
  }
  for (const Field& f : schema.fields()) {
    if (!f.type.is_numeric() && f.type.id != TypeId::kString) {
      throw SchemaError(fmt::format("column '{}' is a {} column, which CSV cannot hold; drop it or expand it into "
                                    "scalar columns before writing {}",
                                    f.name, f.type.ToString(), path));
    }
  }
  AtomicFileWriter file = AtomicFileWriter::Open(path);
  if (options.header && schema.size() > 0) {
    std::string line;
    for (size_t c = 0; c < schema.size(); ++c) {
      if (c > 0) line.push_back(options.delimiter);
      AppendText(line, schema.field(c).name, options);
    }
    line.push_back('\n');
    file.Write(line);
  }
  return CsvStreamWriter(std::move(file), std::move(schema), std::move(options));
}

void CsvStreamWriter::Append(const DataFrame& batch, const Context& ctx) {
  const Schema& got = batch.schema();
  bool same = got.size() == schema_.size();
  for (size_t c = 0; same && c < got.size(); ++c) {
    same = got.field(c).name == schema_.field(c).name && got.field(c).type == schema_.field(c).type;
  }
  if (!same) {
    throw SchemaError(fmt::format("CSV batch for {} has columns ({}), but the file was opened with ({})",
                                  file_.path(), got.ToString(), schema_.ToString()));
  }
  if (schema_.size() == 0) return;
  const size_t rows = batch.num_rows();
  const size_t window_rows = kBlockRows * kBlocksPerWindow;
  std::vector<std::string> blocks(kBlocksPerWindow);
  for (size_t start = 0; start < rows; start += window_rows) {
    const size_t n = std::min(window_rows, rows - start);
    ParallelFor(ctx, n, kBlockRows, [&](const BlockRange& r) {
      std::string& out = blocks[r.index];
      out.clear();
      for (size_t i = start + r.begin; i < start + r.end; ++i) {
        for (size_t c = 0; c < batch.num_columns(); ++c) {
          if (c > 0) out.push_back(options_.delimiter);
          AppendValue(out, *batch.column(c), i, options_);
        }
        out.push_back('\n');
      }
    });
    for (size_t b = 0; b < NumBlocks(n, kBlockRows); ++b) file_.Write(blocks[b]);
  }
}

void CsvStreamWriter::Commit() { file_.Commit(); }

void WriteCsv(const DataFrame& frame, const std::string& path, const CsvWriteOptions& options, const Context& ctx) {
  CsvStreamWriter writer = CsvStreamWriter::Open(path, frame.schema(), options);
  writer.Append(frame, ctx);
  writer.Commit();
}

}  // namespace ember
