#include "io/file_format.h"

#include <fmt/format.h>

#include "core/error.h"

namespace ember {

FileFormat FormatFromPath(std::string_view path) {
  if (path.ends_with(".csv.gz") || path.ends_with(".tsv.gz") || path.ends_with(".gz")) return FileFormat::kCsvGz;
  if (path.ends_with(".csv") || path.ends_with(".tsv") || path.ends_with(".txt")) return FileFormat::kCsv;
  if (path.ends_with(".ember")) return FileFormat::kEmber;
  if (path.ends_with(".libsvm") || path.ends_with(".svm")) return FileFormat::kLibSvm;
  throw InvalidArgument(fmt::format(
      "cannot tell the format of '{}' from its name; use one of .csv, .tsv, .txt, .csv.gz, .ember, .libsvm, .svm",
      path));
}

std::string_view FormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kCsv: return "csv";
    case FileFormat::kCsvGz: return "csv.gz";
    case FileFormat::kEmber: return "ember";
    case FileFormat::kLibSvm: return "libsvm";
  }
  return "unknown";
}

}  // namespace ember
