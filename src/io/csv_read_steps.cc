// The steps of reading a CSV table (see csv_read_steps.h): header, type
// inference, and the parallel two-pass parse of whole rows into columns.
#include "io/csv_read_steps.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "core/error.h"
#include "core/parallel_for.h"
#include "core/strings.h"
#include "frame/buffer.h"
#include "frame/column.h"
#include "frame/schema.h"
#include "io/csv_value.h"

namespace ember::csv {

namespace {

// Reads the header (or, without one, measures the first row) and names the
// columns. Leaves `cur` at the first data row.
std::vector<std::string> ReadColumnNames(Cursor& cur, const ParseSetup& setup) {
  std::vector<std::string> names;
  Cursor c = cur;
  std::string scratch;
  RawField f;
  FieldEnd e = FieldEnd::kDelimiter;
  const int64_t line = c.line;
  while (e == FieldEnd::kDelimiter) {
    const auto column = static_cast<int64_t>(names.size()) + 1;
    e = ReadField(c, setup.dialect, column, f);
    std::string_view v = FieldValue(f, scratch);
    if (!setup.has_header) v = {};
    const size_t bad = FirstInvalidUtf8(v);
    if (bad != std::string_view::npos) {
      throw ParseError(setup.dialect.source, line, column,
                       fmt::format("invalid UTF-8 in a column name (byte 0x{:02x}); save the file as UTF-8",
                                   static_cast<unsigned char>(v[bad])));
    }
    names.push_back(v.empty() ? fmt::format("c{}", names.size()) : std::string(v));
  }
  if (setup.has_header) cur = c;
  std::map<std::string_view, size_t> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    const auto [it, inserted] = seen.emplace(names[i], i);
    if (!inserted) {
      throw ParseError(setup.dialect.source, line, static_cast<int64_t>(i) + 1,
                       fmt::format("column name '{}' appears twice, as fields {} and {}; rename one of them",
                                   names[i], it->second + 1, i + 1));
    }
  }
  return names;
}

struct Output {
  std::shared_ptr<Buffer> values;
  std::shared_ptr<Buffer> offsets;
};

// Column buffers are written once, front to back by many chunks: asking
// for transparent huge pages turns ~500 page faults per 2 MiB into one.
void AdviseHugePages(Buffer& buffer) {
  constexpr size_t kHuge = size_t{2} << 20;
  if (buffer.size() < 2 * kHuge) return;
  const auto begin = reinterpret_cast<uintptr_t>(buffer.mutable_data());
  const uintptr_t first = (begin + kHuge - 1) / kHuge * kHuge;
  const uintptr_t last = (begin + buffer.size()) / kHuge * kHuge;
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

Output Allocate(DataType type, size_t rows) {
  Output out;
  if (type.id == TypeId::kString) {
    out.offsets = Buffer::Allocate((rows + 1) * sizeof(int64_t));
    AdviseHugePages(*out.offsets);
  } else {
    out.values = Buffer::Allocate(rows * type.fixed_width());
    AdviseHugePages(*out.values);
  }
  return out;
}

ColumnStore StoreOf(const Output& o) {
  return {o.values ? o.values->mutable_data() : nullptr, o.offsets ? o.offsets->mutable_as<int64_t>() : nullptr};
}

// Joins the chunks' string bytes and null rows into the columns' final
// buffers (one parallel pass over the chunks for all columns) and builds the
// columns.
std::vector<ColumnPtr> FinishColumns(const ParseSetup& setup, std::vector<Output>& outputs,
                                     const std::vector<Chunk>& chunks,
                                     std::vector<std::vector<ChunkColumnResult>>& results, size_t rows,
                                     const Context& ctx) {
  const size_t nchunks = chunks.size();
  const size_t ncols = setup.columns.size();
  std::vector<ColumnBuffers> buffers(ncols);
  std::vector<std::vector<int64_t>> base(ncols);  // string columns: byte offset of each chunk
  std::vector<uint8_t*> validity(ncols, nullptr);
  std::vector<std::byte*> bytes_out(ncols, nullptr);
  std::vector<int64_t*> offsets_out(ncols, nullptr);
  for (size_t c = 0; c < ncols; ++c) {
    size_t nulls = 0;
    for (size_t k = 0; k < nchunks; ++k) nulls += results[k][c].null_rows.size();
    if (nulls > 0) {
      auto v = Buffer::Allocate(rows);
      validity[c] = v->mutable_as<uint8_t>();
      buffers[c].validity = std::move(v);
    }
    if (setup.columns[c].type.id != TypeId::kString) {
      buffers[c].values = std::move(outputs[c].values);
      continue;
    }
    base[c].assign(nchunks + 1, 0);
    for (size_t k = 0; k < nchunks; ++k) {
      base[c][k + 1] = base[c][k] + static_cast<int64_t>(results[k][c].bytes.size());
    }
    auto bytes = Buffer::Allocate(static_cast<size_t>(base[c][nchunks]));
    bytes_out[c] = bytes->mutable_data();
    offsets_out[c] = outputs[c].offsets->mutable_as<int64_t>();
    offsets_out[c][rows] = base[c][nchunks];
    buffers[c].values = std::move(bytes);
    buffers[c].offsets = std::move(outputs[c].offsets);
  }
  ParallelFor(ctx, nchunks, 1, [&](const BlockRange& r) {
    const Chunk& ch = chunks[r.index];
    for (size_t c = 0; c < ncols; ++c) {
      ChunkColumnResult& part = results[r.index][c];
      if (!base[c].empty()) {
        const int64_t b = base[c][r.index];
        if (!part.bytes.empty()) std::memcpy(bytes_out[c] + b, part.bytes.data(), part.bytes.size());
        std::string().swap(part.bytes);
        for (size_t i = ch.first_row; i < ch.first_row + ch.rows; ++i) offsets_out[c][i] += b;
      }
      if (validity[c] != nullptr) {
        std::memset(validity[c] + ch.first_row, 1, ch.rows);
        for (uint32_t i : part.null_rows) validity[c][ch.first_row + i] = 0;
      }
      std::vector<uint32_t>().swap(part.null_rows);
    }
  });
  std::vector<ColumnPtr> columns;
  for (size_t c = 0; c < ncols; ++c) columns.push_back(Column::Make(setup.columns[c].type, rows, std::move(buffers[c])));
  return columns;
}

}  // namespace

void ValidateOptions(const CsvReadOptions& o) {
  if (o.delimiter == '"' || o.delimiter == '\n' || o.delimiter == '\r') {
    throw InvalidArgument("CSV delimiter cannot be a quote, CR or LF; use ',', ';', '\\t', '|' or similar");
  }
  if (o.float_type != DataType::Float64() && o.float_type != DataType::Float32()) {
    throw InvalidArgument(fmt::format("CSV float_type must be float64 or float32, not {}", o.float_type.ToString()));
  }
  // Chunk-local row numbers are 32-bit; a chunk holds at most chunk_bytes + 1 rows.
  if (o.chunk_bytes == 0 || o.chunk_bytes > (size_t{1} << 30)) {
    throw InvalidArgument(fmt::format("CSV chunk_bytes must be in [1, 2^30], not {}", o.chunk_bytes));
  }
  for (const auto& [name, type] : o.column_types) {
    if (type.is_vector()) {
      throw InvalidArgument(fmt::format("column '{}': a CSV column cannot be read as {}; use a scalar type", name,
                                        type.ToString()));
    }
  }
}

ParseSetup ReadHeader(std::string_view text, std::string_view source, const CsvReadOptions& options, Cursor& cur) {
  ValidateOptions(options);
  ParseSetup setup;
  setup.dialect = {source, options.delimiter};
  setup.null_tokens = options.null_tokens;
  setup.has_header = options.has_header;
  if (text.empty()) {
    throw ParseError(source, 1, 1,
                     options.has_header ? "empty; expected a header line" : "empty; expected at least one row");
  }
  cur = Cursor{text.data(), text.data() + text.size(), 1};
  const std::vector<std::string> names = ReadColumnNames(cur, setup);
  for (const auto& [name, type] : options.column_types) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      throw InvalidArgument(fmt::format("column_types names '{}', which is not a column of {}{} (columns: {})", name,
                                        source, DidYouMean(name, names), Join(names)));
    }
  }
  for (const std::string& name : names) {
    const auto it = options.column_types.find(name);
    const bool typed = it != options.column_types.end();
    setup.columns.push_back(
        {name, typed ? it->second : DataType::String(), typed ? TypeOrigin::kUser : TypeOrigin::kInferred});
  }
  return setup;
}

size_t InferColumnTypes(ParseSetup& setup, const Cursor& cur, const CsvReadOptions& options) {
  size_t sampled = 0;
  const std::vector<ValueKind> kinds = SampleKinds(setup, cur, std::max<size_t>(options.infer_rows, 1), sampled);
  if (sampled == 0) {
    std::vector<std::string> untyped;
    for (const ColumnSpec& spec : setup.columns) {
      if (spec.origin == TypeOrigin::kInferred) untyped.push_back(spec.name);
    }
    if (untyped.empty()) return 0;
    throw ParseError(setup.dialect.source, cur.line, 1,
                     fmt::format("no data rows after the header, so the types of {} cannot be inferred; give every "
                                 "column a type to read an empty table",
                                 Join(untyped)));
  }
  for (size_t c = 0; c < setup.columns.size(); ++c) {
    if (setup.columns[c].origin == TypeOrigin::kInferred && options.infer_rows > 0) {
      setup.columns[c].type = KindToType(kinds[c], options.float_type);
    }
  }
  return sampled;
}

DataFrame EmptyFrame(const ParseSetup& setup) {
  std::vector<Field> fields;
  std::vector<ColumnPtr> columns;
  for (const ColumnSpec& spec : setup.columns) {
    Output out = Allocate(spec.type, 0);
    ColumnBuffers b;
    if (spec.type.id == TypeId::kString) {
      out.offsets->mutable_as<int64_t>()[0] = 0;
      b.offsets = std::move(out.offsets);
      b.values = Buffer::Allocate(0);
    } else {
      b.values = std::move(out.values);
    }
    columns.push_back(Column::Make(spec.type, 0, std::move(b)));
    fields.push_back({spec.name, spec.type, {}});
  }
  return DataFrame::Make(Schema::Make(std::move(fields)), std::move(columns));
}

DataFrame ParseRows(ParseSetup& setup, std::string_view text, int64_t first_line, const CsvReadOptions& options,
                    const Context& ctx, const ReleaseFn& release, ProgressBar* progress) {
  // Pass 1: chunk boundaries, then rows and lines per chunk. The mapped
  // pages stay resident until pass 2 has parsed them: releasing them here
  // too would fault the whole file in twice more (a third more time) to
  // lower the peak from about the file's size to about the columns' size.
  const std::vector<size_t> starts = FindChunkStarts(text, 0, options.chunk_bytes, ctx);
  const size_t nchunks = starts.size();
  std::vector<Chunk> chunks(nchunks);
  std::vector<ChunkCount> counts(nchunks);
  ParallelFor(ctx, nchunks, 1, [&](const BlockRange& r) {
    const size_t begin = starts[r.index];
    const size_t end = r.index + 1 < nchunks ? starts[r.index + 1] : text.size();
    counts[r.index] = CountRows(text.substr(begin, end - begin), setup.skip_blank_lines());
  });
  size_t rows = 0;
  int64_t line = first_line;
  for (size_t k = 0; k < nchunks; ++k) {
    const size_t end = k + 1 < nchunks ? starts[k + 1] : text.size();
    chunks[k] = {text.data() + starts[k], text.data() + end, rows, counts[k].rows, line};
    rows += counts[k].rows;
    line += counts[k].lines;
  }

  // Pass 2: parse every chunk straight into its rows of the final columns.
  const size_t ncols = setup.columns.size();
  std::vector<Output> outputs(ncols);
  std::vector<ColumnStore> stores(ncols);
  for (size_t c = 0; c < ncols; ++c) {
    outputs[c] = Allocate(setup.columns[c].type, rows);
    stores[c] = StoreOf(outputs[c]);
  }
  std::vector<std::vector<ChunkColumnResult>> results(nchunks, std::vector<ChunkColumnResult>(ncols));
  auto parse_all = [&](std::span<const uint8_t> only) {
    ParallelFor(ctx, nchunks, 1, [&](const BlockRange& r) {
      ParseChunk(setup, chunks[r.index], stores, only, results[r.index]);
      const auto bytes = static_cast<size_t>(chunks[r.index].end - chunks[r.index].begin);
      if (release) release(chunks[r.index].begin, bytes);
      if (progress != nullptr && only.empty()) progress->Advance(bytes);  // widening re-parses are not counted
    });
  };
  parse_all({});

  // Columns with values their inferred type cannot hold are widened to the
  // join of all their values and parsed again (just those columns).
  std::vector<uint8_t> widen(ncols, 0);
  bool any_widened = false;
  for (size_t c = 0; c < ncols; ++c) {
    ValueKind need = ValueKind::kNull;
    for (size_t k = 0; k < nchunks; ++k) need = JoinKinds(need, results[k][c].widen_to);
    if (need == ValueKind::kNull) continue;
    ColumnSpec& spec = setup.columns[c];
    const ValueKind wider = JoinKinds(TypeToKind(spec.type), need);
    EMBER_CHECK(wider != TypeToKind(spec.type), "column '{}' needs widening but its kind stays", spec.name);
    spec.type = KindToType(wider, options.float_type);
    outputs[c] = Allocate(spec.type, rows);
    stores[c] = StoreOf(outputs[c]);
    for (auto& chunk_results : results) chunk_results[c] = ChunkColumnResult{};
    widen[c] = 1;
    any_widened = true;
  }
  if (any_widened) parse_all(widen);

  std::vector<Field> fields;
  for (const ColumnSpec& spec : setup.columns) fields.push_back({spec.name, spec.type, {}});
  return DataFrame::Make(Schema::Make(std::move(fields)), FinishColumns(setup, outputs, chunks, results, rows, ctx));
}

}  // namespace ember::csv
