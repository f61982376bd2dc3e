#include "io/csv_reader.h"

#include <memory>

#include "core/mapped_file.h"
#include "io/csv_gzip.h"
#include "io/csv_read_steps.h"
#include "io/csv_scan.h"

namespace ember {

namespace {

DataFrame ParseText(std::string_view text, std::string_view source, const CsvReadOptions& options,
                    const Context& ctx, const csv::ReleaseFn& release) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  csv::Cursor cur{};
  csv::ParseSetup setup = csv::ReadHeader(text, source, options, cur);
  if (csv::InferColumnTypes(setup, cur, options) == 0) return csv::EmptyFrame(setup);
  const auto data_begin = static_cast<size_t>(cur.p - text.data());
  return csv::ParseRows(setup, text.substr(data_begin), cur.line, options, ctx, release);
}

}  // namespace

DataFrame ParseCsv(std::string_view text, std::string_view source_name, const CsvReadOptions& options,
                   const Context& ctx) {
  return ParseText(text, source_name, options, ctx, {});
}

DataFrame ReadCsv(const std::string& path, const CsvReadOptions& options, const Context& ctx) {
  std::shared_ptr<const MappedFile> file = MappedFile::Open(path);
  const std::string_view text = file->text();
  if (std::string_view(path).ends_with(".gz") || HasGzipMagic(text)) {
    // The inflated text is the only copy; the compressed map goes first.
    std::string inflated = InflateGzip(text, path);
    file.reset();
    return ParseText(inflated, path, options, ctx, {});
  }
  const char* base = text.data();
  const MappedFile& mapped = *file;
  const csv::ReleaseFn release = [&mapped, base](const char* p, size_t n) {
    mapped.Release(static_cast<size_t>(p - base), n);
  };
  return ParseText(text, path, options, ctx, release);
}

}  // namespace ember
