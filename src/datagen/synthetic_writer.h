// Streams a synthetic dataset to a .ember or CSV file in bounded memory.
#pragma once

#include <cstdint>
#include <string>

#include "core/context.h"
#include "datagen/higgs_like.h"

namespace ember {

struct SyntheticWriteOptions {
  uint64_t rows = 0;
  /// Rows generated and written per batch; memory stays about
  /// batch_rows x 29 x 4 bytes whatever the total.
  size_t batch_rows = 1 << 20;
  /// zstd-compress the columns of a .ember file.
  bool compress = false;
};

/// Writes rows [0, options.rows) to `path` (format by extension: .ember,
/// .csv, .csv.gz is refused). The file appears under its name only when
/// complete. Returns the number of bytes written.
uint64_t WriteSynthetic(const std::string& path, const SyntheticOptions& data, const SyntheticWriteOptions& options,
                        const Context& ctx);

}  // namespace ember
