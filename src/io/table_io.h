// One entry point to read or write a table in any supported format, chosen
// by the path's extension (see file_format.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/context.h"
#include "frame/dataframe.h"

namespace ember {

/// Options that apply to whichever reader the path selects; CSV-only fields
/// are ignored for binary formats.
struct TableReadOptions {
  char delimiter = ',';
  bool has_header = true;
  std::vector<std::string> null_tokens = {""};
  std::map<std::string, DataType> column_types;
  bool verify_checksums = true;
};

struct TableWriteOptions {
  char delimiter = ',';
  /// zstd-compress .ember column buffers.
  bool compress = false;
};

DataFrame ReadTable(const std::string& path, const TableReadOptions& options, const Context& ctx);
/// Writes atomically: nothing appears under `path` unless the write completes.
void WriteTable(const DataFrame& frame, const std::string& path, const TableWriteOptions& options, const Context& ctx);

/// Parses "name:type,name:type" (types as DataType::Parse) into overrides.
std::map<std::string, DataType> ParseColumnTypes(std::string_view spec);

}  // namespace ember
