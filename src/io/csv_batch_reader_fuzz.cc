// libFuzzer target: reading CSV text in batches, with tiny read chunks and
// parse pieces, must give the frame of the whole-text parse (ParseCsv), or
// both must fail. The one failure only the batch reader may have is a value
// past the rows types are inferred from that does not fit its column: given
// the whole parse's types, it must then read the same frame. Never an
// InternalError, never a crash. The first byte picks the options.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "io/csv_batch_reader.h"
#include "io/csv_reader.h"
#include "io/fuzz_frame_equal.h"

namespace {

struct Outcome {
  std::optional<ember::DataFrame> frame;  // batches: their concatenation, when there is one
  std::optional<ember::Schema> schema;    // batches: the reader's schema
  std::string error;
};

const ember::Context& Ctx() {
  static const ember::Context ctx = ember::Context::Default(1);
  return ctx;
}

Outcome Whole(std::string_view text, const ember::CsvReadOptions& options) {
  Outcome out;
  try {
    out.frame = ember::ParseCsv(text, "fuzz.csv", options, Ctx());
  } catch (const ember::InternalError&) {
    std::abort();  // a broken invariant is a bug, whatever the input
  } catch (const ember::Error& e) {
    out.error = e.what();
  }
  return out;
}

Outcome Batched(std::string_view text, const ember::CsvBatchOptions& options) {
  Outcome out;
  try {
    ember::TableBatchReader reader =
        ember::TableBatchReader::FromSource(ember::OpenCsvTextBatches(text, "fuzz.csv", options, Ctx()));
    std::vector<ember::DataFrame> batches;
    while (std::optional<ember::DataFrame> b = reader.Next()) {
      if (b->num_rows() == 0 || b->num_rows() > options.batch_rows || !(b->schema() == reader.schema())) {
        std::abort();
      }
      batches.push_back(std::move(*b));
    }
    if (reader.rows_read() < 0) std::abort();
    out.schema = reader.schema();
    if (!batches.empty()) out.frame = ember::DataFrame::Concat(batches);
  } catch (const ember::InternalError&) {
    std::abort();
  } catch (const ember::Error& e) {
    out.error = e.what();
  }
  return out;
}

// The whole parse against the batches' outcome (which read without error).
bool SameAsWhole(const ember::DataFrame& whole, const Outcome& batched) {
  if (!(whole.schema() == *batched.schema)) return false;
  if (!batched.frame) return whole.num_rows() == 0;
  return ember::fuzz::SameFrame(whole, *batched.frame);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  ember::CsvBatchOptions options;
  options.csv.has_header = (flags & 1) == 0;
  if (flags & 2) options.csv.delimiter = ';';
  if (flags & 4) options.csv.null_tokens = {"", "NA"};
  if (flags & 8) options.csv.column_types = {{"c0", ember::DataType::Int64()}};
  if (flags & 16) options.csv.column_types = {{"a", ember::DataType::Float64()}, {"b", ember::DataType::Bool()}};
  // Types from every row (the batches must equal the whole parse) or from
  // the first 2 (later values may not fit).
  const bool sample_all = (flags & 32) == 0;
  options.csv.infer_rows = sample_all ? size : 2;
  options.batch_rows = 1 + ((flags >> 6) & 3);  // 1 to 4 rows
  options.read_bytes = 1 + (flags >> 6);        // 1 to 4 bytes
  options.csv.chunk_bytes = 1 + ((flags >> 7) * 6);

  const Outcome whole = Whole(text, options.csv);
  const Outcome batched = Batched(text, options);
  if (!whole.frame) {
    if (batched.schema) std::abort();  // the batch reader accepted text the parser rejects
    return 0;
  }
  if (!batched.schema) {
    // Only a value past the sampled rows that does not fit may fail it:
    // with every column given the type the whole parse found, it must read.
    if (sample_all) std::abort();
    options.csv.column_types.clear();
    for (const ember::Field& f : whole.frame->schema().fields()) options.csv.column_types[f.name] = f.type;
    const Outcome typed = Batched(text, options);
    if (!typed.schema || !SameAsWhole(*whole.frame, typed)) std::abort();
    return 0;
  }
  if (!SameAsWhole(*whole.frame, batched)) std::abort();
  return 0;
}
