#include "io/csv_reader.h"

#include <memory>

#include "core/mapped_file.h"
#include "io/csv_gzip.h"
#include "io/csv_read_steps.h"
#include "io/csv_scan.h"

namespace ember {

namespace {

/// `progress` (may be null) advances over all of `text`'s bytes.
DataFrame ParseText(std::string_view text, std::string_view source, const CsvReadOptions& options,
                    const Context& ctx, const csv::ReleaseFn& release, ProgressBar* progress) {
  const size_t all = text.size();
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  csv::Cursor cur{};
  csv::ParseSetup setup = csv::ReadHeader(text, source, options, cur);
  if (csv::InferColumnTypes(setup, cur, options) == 0) {
    if (progress != nullptr) progress->Advance(all);
    return csv::EmptyFrame(setup);
  }
  const auto data_begin = static_cast<size_t>(cur.p - text.data());
  if (progress != nullptr) progress->Advance(all - (text.size() - data_begin));  // BOM and header
  return csv::ParseRows(setup, text.substr(data_begin), cur.line, options, ctx, release, progress);
}

}  // namespace

DataFrame ParseCsv(std::string_view text, std::string_view source_name, const CsvReadOptions& options,
                   const Context& ctx) {
  return ParseText(text, source_name, options, ctx, {}, nullptr);
}

DataFrame ReadCsv(const std::string& path, const CsvReadOptions& options, const Context& ctx) {
  std::shared_ptr<const MappedFile> file = MappedFile::Open(path);
  const std::string_view text = file->text();
  if (std::string_view(path).ends_with(".gz") || HasGzipMagic(text)) {
    // Two steps, each with its bar: inflating (over the compressed bytes),
    // then parsing (over the text's). The inflated text is the only copy;
    // the compressed map goes first.
    std::string inflated;
    {
      const std::unique_ptr<ProgressBar> bar = ctx.progress().Start("inflate " + path, text.size(), "bytes");
      inflated = InflateGzip(text, path, bar.get());
    }
    file.reset();
    const std::unique_ptr<ProgressBar> bar = ctx.progress().Start("read " + path, inflated.size(), "bytes");
    return ParseText(inflated, path, options, ctx, {}, bar.get());
  }
  const char* base = text.data();
  const MappedFile& mapped = *file;
  const csv::ReleaseFn release = [&mapped, base](const char* p, size_t n) {
    mapped.Release(static_cast<size_t>(p - base), n);
  };
  const std::unique_ptr<ProgressBar> bar = ctx.progress().Start("read " + path, text.size(), "bytes");
  return ParseText(text, path, options, ctx, release, bar.get());
}

}  // namespace ember
