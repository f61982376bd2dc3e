#include "datagen/synthetic_writer.h"

#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "core/error.h"
#include "io/csv_writer.h"
#include "io/ember_file.h"
#include "io/file_format.h"

namespace ember {

uint64_t WriteSynthetic(const std::string& path, const SyntheticOptions& data, const SyntheticWriteOptions& options,
                        const Context& ctx) {
  if (options.batch_rows == 0) throw InvalidArgument("batch rows must be > 0");
  const FileFormat format = FormatFromPath(path);
  if (format != FileFormat::kEmber && format != FileFormat::kCsv) {
    throw InvalidArgument(fmt::format("datagen writes .ember or .csv files, not '{}'", path));
  }
  const Schema schema = GenerateSynthetic(0, 0, data, ctx).schema();
  std::optional<EmberFileWriter> ember;
  std::optional<CsvStreamWriter> csv;
  if (format == FileFormat::kEmber) {
    EmberWriteOptions o;
    o.compression = options.compress ? Compression::kZstd : Compression::kNone;
    ember.emplace(EmberFileWriter::Open(path, schema, o));
  } else {
    csv.emplace(CsvStreamWriter::Open(path, schema, CsvWriteOptions{}));
  }
  auto bar = ctx.progress().Start(fmt::format("datagen {}", path), options.rows);
  for (uint64_t first = 0; first < options.rows; first += options.batch_rows) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(options.batch_rows, options.rows - first));
    const DataFrame batch = GenerateSynthetic(first, n, data, ctx);
    if (ember) {
      ember->Append(batch, ctx);
    } else {
      csv->Append(batch, ctx);
    }
    bar->Advance(n);
  }
  if (ember) {
    ember->Commit();
  } else {
    csv->Commit();
  }
  return std::filesystem::file_size(path);
}

}  // namespace ember
