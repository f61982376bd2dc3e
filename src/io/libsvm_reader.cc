// LibSVM parsing: the text is cut into fixed ~1 MiB chunks at line starts,
// chunks are parsed in parallel into local CSR pieces, and the pieces are
// stitched together in chunk order.
#include "io/libsvm_reader.h"

#include <charconv>
#include <cstring>
#include <limits>
#include <optional>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include "core/error.h"
#include "core/mapped_file.h"
#include "core/parallel_for.h"

namespace ember {

namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;

/// Where and why a chunk stopped; converted to a ParseError once the line
/// numbers of the chunks before it are known.
struct ChunkError {
  int64_t line = 0;  // 1-based, inside the chunk
  int64_t column = 0;
  std::string what;
};

/// The rows one chunk holds, as a local CSR piece.
struct Piece {
  std::vector<double> labels;
  std::vector<int64_t> row_ends;  // nnz after each row
  std::vector<int32_t> indices;
  std::vector<float> values;
  int64_t max_index = -1;
  int64_t lines = 0;
  std::optional<ChunkError> error;
};

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

/// Parses a whole token as a float or double; a leading '+' is allowed.
template <class T>
bool ParseReal(std::string_view token, T* out) {
  if (token.size() > 1 && token[0] == '+' && token[1] != '-' && token[1] != '+') token.remove_prefix(1);
  const char* end = token.data() + token.size();
  auto [ptr, ec] = fast_float::from_chars(token.data(), end, *out);
  return ec == std::errc() && ptr == end && !token.empty();
}

class LineParser {
 public:
  LineParser(const LibSvmReadOptions& options, Piece* piece) : options_(options), piece_(piece) {}

  /// Parses one line (without its '\n'); returns false and fills the piece's
  /// error on a bad line.
  bool Parse(std::string_view line, int64_t line_number) {
    line_ = line;
    line_number_ = line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    size_t pos = 0;
    std::string_view token = NextToken(line, &pos);
    if (token.empty()) return true;  // blank or comment-only
    double label = 0;
    if (!ParseReal(token, &label)) return Fail(token, fmt::format("bad label '{}': expected a number", token));
    int64_t previous = -1;
    while (!(token = NextToken(line, &pos)).empty()) {
      if (token.starts_with("qid:")) {
        return Fail(token, fmt::format("'{}': qid tokens (ranking groups) are not supported; remove them", token));
      }
      const size_t colon = token.find(':');
      if (colon == std::string_view::npos || colon == 0 || colon + 1 == token.size()) {
        return Fail(token, fmt::format("malformed pair '{}': expected index:value", token));
      }
      const std::string_view index_text = token.substr(0, colon);
      const std::string_view value_text = token.substr(colon + 1);
      int64_t index = 0;
      auto [ptr, ec] = std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
      if (ec != std::errc() || ptr != index_text.data() + index_text.size()) {
        return Fail(index_text, fmt::format("bad index '{}': expected an integer", index_text));
      }
      const int64_t first = options_.zero_based ? 0 : 1;
      if (index < first) {
        return Fail(index_text, options_.zero_based
                                    ? fmt::format("index {} is negative", index)
                                    : fmt::format("index {} is below 1; indices are 1-based (set zero_based for "
                                                  "files that start at 0)", index));
      }
      const int64_t stored = index - first;
      if (stored <= previous) {
        return Fail(index_text, fmt::format("index {} does not increase (the previous index on this line is {})",
                                            index, previous + first));
      }
      if (options_.num_features > 0 && stored >= options_.num_features) {
        return Fail(index_text, fmt::format("index {} is outside the {} features (valid indices: {} to {})", index,
                                            options_.num_features, first, options_.num_features - 1 + first));
      }
      if (stored >= std::numeric_limits<int32_t>::max()) {
        return Fail(index_text, fmt::format("index {} is too large (at most {})", index,
                                            std::numeric_limits<int32_t>::max() - 1 + first));
      }
      float value = 0;
      if (!ParseReal(value_text, &value)) {
        return Fail(value_text, fmt::format("bad value '{}' for index {}: expected a number", value_text, index));
      }
      piece_->indices.push_back(static_cast<int32_t>(stored));
      piece_->values.push_back(value);
      previous = stored;
    }
    piece_->labels.push_back(label);
    piece_->row_ends.push_back(static_cast<int64_t>(piece_->indices.size()));
    piece_->max_index = std::max(piece_->max_index, previous);
    return true;
  }

 private:
  static std::string_view NextToken(std::string_view line, size_t* pos) {
    while (*pos < line.size() && IsSpace(line[*pos])) ++*pos;
    const size_t begin = *pos;
    while (*pos < line.size() && !IsSpace(line[*pos])) ++*pos;
    return line.substr(begin, *pos - begin);
  }

  bool Fail(std::string_view at, std::string what) {
    piece_->error = ChunkError{line_number_, static_cast<int64_t>(at.data() - line_.data()) + 1, std::move(what)};
    return false;
  }

  const LibSvmReadOptions& options_;
  Piece* piece_;
  std::string_view line_;
  int64_t line_number_ = 0;
};

/// Chunk starts: each nominal multiple of kChunkBytes moved to the next line
/// start. Depends only on the text, never on the thread count.
std::vector<size_t> ChunkStarts(std::string_view text) {
  std::vector<size_t> starts = {0};
  for (size_t nominal = kChunkBytes; nominal < text.size(); nominal += kChunkBytes) {
    const size_t nl = text.find('\n', std::max(nominal - 1, starts.back()));
    if (nl == std::string_view::npos || nl + 1 >= text.size()) break;
    if (nl + 1 > starts.back()) starts.push_back(nl + 1);
  }
  return starts;
}

Piece ParseChunk(std::string_view chunk, const LibSvmReadOptions& options) {
  Piece piece;
  LineParser parser(options, &piece);
  size_t begin = 0;
  while (begin < chunk.size()) {
    size_t end = chunk.find('\n', begin);
    if (end == std::string_view::npos) end = chunk.size();
    ++piece.lines;
    if (!parser.Parse(chunk.substr(begin, end - begin), piece.lines)) break;
    begin = end + 1;
  }
  return piece;
}

/// ParseLibSvm; `progress` (may be null) advances by each chunk's bytes once parsed.
DataFrame ParseText(std::string_view text, std::string_view source_name, const LibSvmReadOptions& options,
                    const Context& ctx, ProgressBar* progress) {
  if (options.num_features < 0) {
    throw InvalidArgument(fmt::format("num_features is {}; it must be >= 0 (0 = one more than the largest index)",
                                      options.num_features));
  }
  const std::vector<size_t> starts = ChunkStarts(text);
  std::vector<Piece> pieces(starts.size());
  ParallelFor(ctx, starts.size(), 1, [&](const BlockRange& r) {
    const size_t b = starts[r.begin];
    const size_t e = r.begin + 1 < starts.size() ? starts[r.begin + 1] : text.size();
    pieces[r.begin] = ParseChunk(text.substr(b, e - b), options);
    if (progress != nullptr) progress->Advance(e - b);
  });

  int64_t lines_before = 0;
  size_t rows = 0;
  size_t nnz = 0;
  int64_t max_index = -1;
  for (const Piece& p : pieces) {
    if (p.error) throw ParseError(source_name, lines_before + p.error->line, p.error->column, p.error->what);
    lines_before += p.lines;
    rows += p.labels.size();
    nnz += p.indices.size();
    max_index = std::max(max_index, p.max_index);
  }
  const int32_t dim = options.num_features > 0 ? options.num_features : static_cast<int32_t>(max_index + 1);

  auto labels = Buffer::Allocate(rows * sizeof(double));
  auto offsets = Buffer::Allocate((rows + 1) * sizeof(int64_t));
  auto indices = Buffer::Allocate(nnz * sizeof(int32_t));
  auto values = Buffer::Allocate(nnz * sizeof(float));
  offsets->mutable_as<int64_t>()[0] = 0;
  std::vector<std::pair<size_t, size_t>> at(pieces.size());  // (first row, first entry) of each piece
  for (size_t i = 1; i < pieces.size(); ++i) {
    at[i] = {at[i - 1].first + pieces[i - 1].labels.size(), at[i - 1].second + pieces[i - 1].indices.size()};
  }
  ParallelFor(ctx, pieces.size(), 1, [&](const BlockRange& r) {
    const Piece& p = pieces[r.begin];
    const auto [row, entry] = at[r.begin];
    if (!p.labels.empty()) std::memcpy(labels->mutable_as<double>() + row, p.labels.data(), p.labels.size() * 8);
    if (!p.indices.empty()) {
      std::memcpy(indices->mutable_as<int32_t>() + entry, p.indices.data(), p.indices.size() * 4);
      std::memcpy(values->mutable_as<float>() + entry, p.values.data(), p.values.size() * 4);
    }
    int64_t* o = offsets->mutable_as<int64_t>() + row + 1;
    for (size_t i = 0; i < p.row_ends.size(); ++i) o[i] = static_cast<int64_t>(entry) + p.row_ends[i];
  });

  ColumnBuffers label_buffers;
  label_buffers.values = std::move(labels);
  ColumnBuffers feature_buffers;
  feature_buffers.values = std::move(values);
  feature_buffers.offsets = std::move(offsets);
  feature_buffers.indices = std::move(indices);
  std::vector<ColumnPtr> columns = {
      Column::Make(DataType::Float64(), rows, std::move(label_buffers)),
      Column::Make(DataType::SparseVector(dim), rows, std::move(feature_buffers)),
  };
  return DataFrame::Make({"label", "features"}, std::move(columns));
}

}  // namespace

DataFrame ParseLibSvm(std::string_view text, std::string_view source_name, const LibSvmReadOptions& options,
                      const Context& ctx) {
  return ParseText(text, source_name, options, ctx, nullptr);
}

DataFrame ReadLibSvm(const std::string& path, const LibSvmReadOptions& options, const Context& ctx) {
  std::shared_ptr<const MappedFile> map = MappedFile::Open(path);
  const std::unique_ptr<ProgressBar> bar = ctx.progress().Start("read " + path, map->text().size(), "bytes");
  return ParseText(map->text(), path, options, ctx, bar.get());
}

}  // namespace ember
