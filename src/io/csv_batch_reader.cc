// CSV batch reading: a TextSource hands out the unread text a window at a
// time; the reader cuts whole rows off its front with FindRowsEnd and parses
// them with csv::ParseRows, the whole-file reader's parser.
#include "io/csv_batch_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "core/error.h"
#include "core/mapped_file.h"
#include "io/csv_gzip.h"
#include "io/csv_read_steps.h"
#include "io/csv_scan.h"

namespace ember {

namespace {

/// The unread part of a text, a window at a time.
class TextSource {
 public:
  virtual ~TextSource() = default;
  /// At least `want` bytes of the unread text, fewer only when the text
  /// ends first. Valid until the next call.
  virtual std::string_view Peek(size_t want) = 0;
  /// Marks the first `n` bytes of the last Peek as read.
  virtual void Consume(size_t n) = 0;
  /// Progress over the underlying bytes (a gzip file's compressed ones).
  virtual BatchProgress progress() const = 0;
};

size_t PageSize() {
  const long page = ::sysconf(_SC_PAGESIZE);
  return page > 0 ? static_cast<size_t>(page) : 4096;
}

/// Gives a mapped file's pages back as reading moves past them. Release
/// rounds inward, so the released prefix advances a whole page at a time.
class PageReleaser {
 public:
  explicit PageReleaser(std::shared_ptr<const MappedFile> file) : file_(std::move(file)), page_(PageSize()) {}
  void ReleaseBefore(size_t offset) {
    if (file_ == nullptr) return;
    const size_t upto = offset / page_ * page_;
    if (upto <= released_) return;
    file_->Release(released_, upto - released_);
    released_ = upto;
  }

 private:
  std::shared_ptr<const MappedFile> file_;
  size_t page_;
  size_t released_ = 0;
};

/// Text already in memory: a string or a memory-mapped file.
class MemoryText final : public TextSource {
 public:
  MemoryText(std::string_view text, std::shared_ptr<const MappedFile> file)
      : text_(text), releaser_(std::move(file)) {}
  std::string_view Peek(size_t want) override { return text_.substr(pos_, want); }
  void Consume(size_t n) override {
    pos_ += n;
    releaser_.ReleaseBefore(pos_);
  }
  BatchProgress progress() const override { return {pos_, text_.size(), "bytes"}; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  PageReleaser releaser_;
};

/// A gzip file inflated into a buffer that holds the unread window only.
class GzipText final : public TextSource {
 public:
  GzipText(std::shared_ptr<const MappedFile> file, const std::string& path, size_t step)
      : inflater_(GzipInflater::Make(file->text(), path)), releaser_(file), step_(step), file_(std::move(file)) {}

  std::string_view Peek(size_t want) override {
    if (buffer_.size() - begin_ < want && !ended_) {
      buffer_.erase(0, begin_);  // keep only the unread bytes
      begin_ = 0;
      while (buffer_.size() < want && !ended_) {
        const size_t have = buffer_.size();
        const size_t ask = std::max(step_, want - have);
        buffer_.resize(have + ask);
        const size_t got = inflater_.Read(std::span<char>(buffer_.data() + have, ask));
        buffer_.resize(have + got);
        ended_ = got < ask;
      }
      releaser_.ReleaseBefore(inflater_.consumed());
    }
    return std::string_view(buffer_).substr(begin_, want);
  }
  void Consume(size_t n) override { begin_ += n; }
  /// Compressed bytes inflated so far: at most one read step ahead of the
  /// rows handed out.
  BatchProgress progress() const override { return {inflater_.consumed(), file_->size(), "bytes"}; }

 private:
  GzipInflater inflater_;
  PageReleaser releaser_;
  size_t step_;
  std::shared_ptr<const MappedFile> file_;  // the compressed bytes the inflater reads
  std::string buffer_;
  size_t begin_ = 0;  // unread text is buffer_[begin_, size)
  bool ended_ = false;
};

/// Whole rows cut off the front of the unread text.
struct RowText {
  std::string_view text;  // the rows (blank lines included)
  csv::RowSpan span;
};

class CsvBatchSource final : public BatchSource {
 public:
  CsvBatchSource(std::string source_name, const CsvBatchOptions& options, const Context& ctx)
      : source_name_(std::move(source_name)), options_(options), ctx_(ctx) {}

  /// Reads the header and the rows types are inferred from.
  void Start(std::unique_ptr<TextSource> text) {
    text_ = std::move(text);
    if (text_->Peek(3).starts_with("\xEF\xBB\xBF")) text_->Consume(3);

    // The header (or, without one, the first row, which is not consumed).
    const RowText first = TakeRows(1, /*skip_blank_lines=*/false);
    csv::Cursor cur{};
    setup_ = csv::ReadHeader(first.text, source_name_, options_.csv, cur);
    if (options_.csv.has_header) {
      text_->Consume(static_cast<size_t>(cur.p - first.text.data()));
      line_ = cur.line;
    }

    // Types are inferred and widened over the first window of whole
    // batches, exactly as ReadTable does over the whole file.
    const size_t batch = options_.batch_rows;
    const size_t sample = std::max<size_t>(options_.csv.infer_rows, 1);
    const size_t window = batch >= sample ? batch : (sample + batch - 1) / batch * batch;
    const RowText rows = TakeRows(window, setup_.skip_blank_lines());
    const csv::Cursor at{rows.text.data(), rows.text.data() + rows.text.size(), line_};
    if (csv::InferColumnTypes(setup_, at, options_.csv) == 0) {
      schema_ = csv::EmptyFrame(setup_).schema();
      done_ = true;
      return;
    }
    ready_ = Parse(rows);
    schema_ = ready_.schema();
    for (csv::ColumnSpec& spec : setup_.columns) {
      if (spec.origin == csv::TypeOrigin::kInferred) spec.origin = csv::TypeOrigin::kEarlierRows;
    }
  }

  const Schema& schema() const override { return schema_; }
  std::optional<BatchProgress> progress() const override { return text_->progress(); }

  std::optional<DataFrame> Next() override {
    if (ready_pos_ < ready_.num_rows()) {
      const size_t n = std::min(options_.batch_rows, ready_.num_rows() - ready_pos_);
      DataFrame out = ready_.Slice(ready_pos_, n);
      ready_pos_ += n;
      if (ready_pos_ == ready_.num_rows()) {
        ready_ = DataFrame();
        ready_pos_ = 0;
      }
      return out;
    }
    if (done_) return std::nullopt;
    const RowText rows = TakeRows(options_.batch_rows, setup_.skip_blank_lines());
    if (rows.span.rows == 0) {  // only blank lines were left
      text_->Consume(rows.span.bytes);
      done_ = true;
      return std::nullopt;
    }
    return Parse(rows);
  }

 private:
  /// The first `n` rows of the unread text (fewer at its end), reading more
  /// until they are whole. Starts from the size the last batch needed, so a
  /// batch is usually found with one scan.
  RowText TakeRows(size_t n, bool skip_blank_lines) {
    size_t want = std::max(options_.read_bytes, last_bytes_ + last_bytes_ / 8);
    for (;;) {
      const std::string_view view = text_->Peek(want);
      const bool at_end = view.size() < want;
      const csv::RowSpan span = csv::FindRowsEnd(view, n, skip_blank_lines, at_end);
      if (span.rows == n || at_end) {
        if (n > 1) last_bytes_ = span.bytes;
        return {view.substr(0, span.bytes), span};
      }
      want = std::max(want * 2, want + options_.read_bytes);
    }
  }

  /// Parses rows taken by TakeRows and marks them read.
  DataFrame Parse(const RowText& rows) {
    DataFrame frame = csv::ParseRows(setup_, rows.text, line_, options_.csv, ctx_, {});
    EMBER_CHECK(frame.num_rows() == rows.span.rows, "{}: parsed {} rows where {} were cut", source_name_,
                frame.num_rows(), rows.span.rows);
    text_->Consume(rows.span.bytes);
    line_ += rows.span.lines;
    return frame;
  }

  std::string source_name_;  // setup_.dialect.source views it
  CsvBatchOptions options_;
  Context ctx_;
  std::unique_ptr<TextSource> text_;
  csv::ParseSetup setup_;
  Schema schema_;
  int64_t line_ = 1;        // physical line of the first unread byte
  size_t last_bytes_ = 0;   // text bytes of the last batch
  DataFrame ready_;         // the inference window, handed out in slices
  size_t ready_pos_ = 0;
  bool done_ = false;
};

void ValidateBatchOptions(const CsvBatchOptions& options) {
  if (options.batch_rows == 0) throw InvalidArgument("batch_rows must be at least 1, not 0");
  if (options.read_bytes == 0) throw InvalidArgument("CSV read chunk size (chunk_bytes) must be at least 1, not 0");
  csv::ValidateOptions(options.csv);
}

std::unique_ptr<BatchSource> Start(std::string source_name, std::unique_ptr<TextSource> text,
                                   const CsvBatchOptions& options, const Context& ctx) {
  auto source = std::make_unique<CsvBatchSource>(std::move(source_name), options, ctx);
  source->Start(std::move(text));
  return source;
}

}  // namespace

std::unique_ptr<BatchSource> OpenCsvBatches(const std::string& path, const CsvBatchOptions& options,
                                            const Context& ctx) {
  ValidateBatchOptions(options);
  std::shared_ptr<const MappedFile> file = MappedFile::Open(path);
  std::unique_ptr<TextSource> text;
  if (std::string_view(path).ends_with(".gz") || HasGzipMagic(file->text())) {
    text = std::make_unique<GzipText>(file, path, options.read_bytes);
  } else {
    text = std::make_unique<MemoryText>(file->text(), file);
  }
  return Start(path, std::move(text), options, ctx);
}

std::unique_ptr<BatchSource> OpenCsvTextBatches(std::string_view text, std::string source_name,
                                                const CsvBatchOptions& options, const Context& ctx) {
  ValidateBatchOptions(options);
  return Start(std::move(source_name), std::make_unique<MemoryText>(text, nullptr), options, ctx);
}

}  // namespace ember
