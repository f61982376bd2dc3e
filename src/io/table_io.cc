#include "io/table_io.h"

#include <fmt/format.h>

#include "core/error.h"
#include "io/csv_reader.h"
#include "io/csv_writer.h"
#include "io/ember_file.h"
#include "io/file_format.h"
#include "io/libsvm_reader.h"

namespace ember {

DataFrame ReadTable(const std::string& path, const TableReadOptions& options, const Context& ctx) {
  switch (FormatFromPath(path)) {
    case FileFormat::kCsv:
    case FileFormat::kCsvGz: {
      CsvReadOptions csv;
      csv.delimiter = options.delimiter;
      csv.has_header = options.has_header;
      csv.null_tokens = options.null_tokens;
      csv.column_types = options.column_types;
      return ReadCsv(path, csv, ctx);
    }
    case FileFormat::kEmber: {
      EmberReadOptions ember;
      ember.verify_checksums = options.verify_checksums;
      return ReadEmber(path, ember, ctx);
    }
    case FileFormat::kLibSvm:
      return ReadLibSvm(path, LibSvmReadOptions{}, ctx);
  }
  throw InternalError("unhandled file format");
}

void WriteTable(const DataFrame& frame, const std::string& path, const TableWriteOptions& options,
                const Context& ctx) {
  switch (FormatFromPath(path)) {
    case FileFormat::kCsv: {
      CsvWriteOptions csv;
      csv.delimiter = options.delimiter;
      WriteCsv(frame, path, csv, ctx);
      return;
    }
    case FileFormat::kEmber: {
      EmberWriteOptions ember;
      ember.compression = options.compress ? Compression::kZstd : Compression::kNone;
      WriteEmber(frame, path, ember, ctx);
      return;
    }
    case FileFormat::kCsvGz:
    case FileFormat::kLibSvm:
      throw InvalidArgument(fmt::format("cannot write '{}': ember writes .csv and .ember files", path));
  }
}

std::map<std::string, DataType> ParseColumnTypes(std::string_view spec) {
  std::map<std::string, DataType> out;
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    const std::string_view item = spec.substr(0, comma);
    const size_t colon = item.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      throw InvalidArgument(fmt::format("schema entry '{}' must look like name:type (for example age:int64)", item));
    }
    out[std::string(item.substr(0, colon))] = DataType::Parse(item.substr(colon + 1));
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
  }
  return out;
}

}  // namespace ember
