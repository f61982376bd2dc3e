// Reads a table whole (ReadTable) or in batches (TableBatchReader) and prints
// one JSON line: rows, seconds and the process's peak resident set. Used by
// bench/batch_memory.py to show that batch reading keeps memory flat.
//
// usage: ember_bench_batch_read FILE whole|batches [BATCH_ROWS] [THREADS]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "core/error.h"
#include "io/table_batch_reader.h"
#include "io/table_io.h"

namespace {

double PeakRssMb() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s FILE whole|batches [BATCH_ROWS] [THREADS]\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const std::string mode = argv[2];
  ember::BatchReadOptions options;
  if (argc > 3) options.batch_rows = std::strtoull(argv[3], nullptr, 10);
  const ember::Context ctx = ember::Context::Default(argc > 4 ? std::atoi(argv[4]) : 0);
  try {
    const auto start = std::chrono::steady_clock::now();
    size_t rows = 0;
    double checksum = 0;  // touches every batch, as a consumer would
    if (mode == "whole") {
      const ember::DataFrame df = ember::ReadTable(path, options.table, ctx);
      rows = df.num_rows();
      checksum = df.column(df.num_columns() - 1)->NumericAt(rows - 1);
    } else if (mode == "batches") {
      ember::TableBatchReader reader = ember::TableBatchReader::Open(path, options, ctx);
      while (std::optional<ember::DataFrame> batch = reader.Next()) {
        checksum += batch->column(batch->num_columns() - 1)->NumericAt(batch->num_rows() - 1);
      }
      rows = static_cast<size_t>(reader.rows_read());
    } else {
      std::fprintf(stderr, "mode must be whole or batches, not '%s'\n", mode.c_str());
      return 2;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("{\"mode\": \"%s\", \"rows\": %zu, \"seconds\": %.4f, \"peak_rss_mb\": %.1f, \"checksum\": %.6g}\n",
                mode.c_str(), rows, seconds, PeakRssMb(), checksum);
  } catch (const ember::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
