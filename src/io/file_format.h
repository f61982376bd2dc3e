// Which reader a path needs: decided by its name, confirmed by its first bytes.
#pragma once

#include <string>
#include <string_view>

namespace ember {

enum class FileFormat { kCsv, kCsvGz, kEmber, kLibSvm };

/// By extension: .csv/.tsv/.txt -> CSV, .csv.gz/.gz -> gzip CSV, .ember ->
/// native, .libsvm/.svm -> LibSVM. Throws InvalidArgument listing the known
/// extensions otherwise.
FileFormat FormatFromPath(std::string_view path);

/// "csv", "csv.gz", "ember", "libsvm".
std::string_view FormatName(FileFormat format);

}  // namespace ember
