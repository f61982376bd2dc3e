#include "runner/data_source.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/hash.h"
#include "io/csv_reader.h"
#include "io/ember_file.h"
#include "io/file_format.h"

namespace ember::runner {
namespace {

/// Bytes of a CSV read to infer its schema before the whole file is read.
constexpr size_t kProbeBytes = 1 << 20;

}  // namespace

TableReadOptions ReadOptionsOf(const DataSpec& data) {
  TableReadOptions options;
  options.null_tokens = data.null_values;
  for (const auto& [column, type] : data.column_types) options.column_types[column] = DataType::Parse(type);
  return options;
}

Schema ProbeSchema(const std::string& path, const TableReadOptions& options, const Context& ctx) {
  if (!std::filesystem::exists(path)) throw NotFound(fmt::format("input file '{}' does not exist", path));
  switch (FormatFromPath(path)) {
    case FileFormat::kEmber:
      return ReadEmberInfo(path).schema;
    case FileFormat::kCsv: {
      std::ifstream in(path, std::ios::binary);
      std::string text(kProbeBytes, '\0');
      in.read(text.data(), static_cast<std::streamsize>(text.size()));
      text.resize(static_cast<size_t>(in.gcount()));
      if (text.size() == kProbeBytes) {
        // Cut at the last line end; a quoted field spanning it only costs a
        // narrower sample, the full read re-infers.
        const size_t last = text.rfind('\n');
        if (last != std::string::npos) text.resize(last + 1);
      }
      CsvReadOptions csv;
      csv.delimiter = options.delimiter;
      csv.has_header = options.has_header;
      csv.null_tokens = options.null_tokens;
      csv.column_types = options.column_types;
      return ParseCsv(text, path, csv, ctx).schema();
    }
    case FileFormat::kCsvGz:
    case FileFormat::kLibSvm:
      return ReadTable(path, options, ctx).schema();
  }
  throw InternalError("unhandled file format");
}

std::string SchemaToJson(const Schema& schema) {
  nlohmann::json fields = nlohmann::json::array();
  for (const Field& f : schema.fields()) fields.push_back({{"name", f.name}, {"type", f.type.ToString()}});
  return fields.dump();
}

track::InputLineage DescribeInput(const std::string& role, const std::string& path, const DataFrame& frame) {
  track::InputLineage input;
  input.role = role;
  input.path = std::filesystem::absolute(path).lexically_normal().string();
  input.size_bytes = std::filesystem::file_size(path);
  input.fingerprint = HexDigest(FingerprintFile(path));
  input.schema_json = SchemaToJson(frame.schema());
  input.rows = static_cast<int64_t>(frame.num_rows());
  return input;
}

}  // namespace ember::runner
