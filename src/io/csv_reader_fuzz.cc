// libFuzzer target: ParseCsv on arbitrary text must return a frame or throw
// an ember::Error (never an InternalError, never a crash), and the result
// must not depend on how the text is cut into chunks. The first byte picks
// the options.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "io/csv_reader.h"
#include "io/fuzz_frame_equal.h"

namespace {

struct Outcome {
  std::optional<ember::DataFrame> frame;
  std::string error;
};

Outcome Run(std::string_view text, const ember::CsvReadOptions& options) {
  static const ember::Context ctx = ember::Context::Default(1);
  Outcome out;
  try {
    out.frame = ember::ParseCsv(text, "fuzz.csv", options, ctx);
  } catch (const ember::InternalError& e) {
    std::abort();  // a broken invariant is a bug, whatever the input
  } catch (const ember::Error& e) {
    out.error = e.what();
  }
  return out;
}

bool SameOutcome(const Outcome& a, const Outcome& b) {
  if (a.frame.has_value() != b.frame.has_value()) return false;
  if (!a.frame) return a.error == b.error;
  return ember::fuzz::SameFrame(*a.frame, *b.frame);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  ember::CsvReadOptions options;
  options.has_header = (flags & 1) == 0;
  if (flags & 2) options.delimiter = ';';
  if (flags & 4) options.infer_rows = 1;
  if (flags & 8) options.null_tokens = {"", "NA"};
  if (flags & 16) options.float_type = ember::DataType::Float32();
  if (flags & 32) options.column_types = {{"c0", ember::DataType::Int64()}};
  if (flags & 64) options.column_types = {{"a", ember::DataType::Float64()}, {"b", ember::DataType::Bool()}};
  const Outcome whole = Run(text, options);
  options.chunk_bytes = 1 + (flags >> 7) * 6;  // 1 or 7 bytes: every boundary case
  const Outcome chunked = Run(text, options);
  if (!SameOutcome(whole, chunked)) std::abort();
  return 0;
}
