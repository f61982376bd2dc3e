#include "io/table_batch_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.h"
#include "io/csv_batch_reader.h"
#include "io/ember_file.h"
#include "io/file_format.h"
#include "io/libsvm_reader.h"

namespace ember {

namespace {

/// .ember: row groups in order, each sliced into batches.
class EmberBatchSource final : public BatchSource {
 public:
  EmberBatchSource(EmberRowGroupReader reader, size_t batch_rows, const Context& ctx)
      : reader_(std::move(reader)), batch_rows_(batch_rows), ctx_(ctx) {
    for (size_t g = 0; g < reader_.num_row_groups(); ++g) total_rows_ += reader_.num_rows(g);
  }

  const Schema& schema() const override { return reader_.schema(); }

  std::optional<DataFrame> Next() override {
    while (pos_ == group_rows_) {
      // The previous group's pages go back once the caller asks for more.
      if (group_ > 0) reader_.ReleaseRowGroup(group_ - 1);
      group_frame_ = DataFrame();
      pos_ = 0;
      group_rows_ = 0;
      if (group_ == reader_.num_row_groups()) return std::nullopt;
      group_frame_ = reader_.ReadRowGroup(group_, ctx_);
      group_rows_ = group_frame_.num_rows();
      ++group_;
    }
    const size_t n = std::min(batch_rows_, group_rows_ - pos_);
    DataFrame out = group_frame_.Slice(pos_, n);
    pos_ += n;
    rows_out_ += n;
    return out;
  }

  std::optional<BatchProgress> progress() const override { return BatchProgress{rows_out_, total_rows_, "rows"}; }

 private:
  EmberRowGroupReader reader_;
  size_t batch_rows_;
  Context ctx_;
  size_t group_ = 0;  // the next group to read
  DataFrame group_frame_;
  size_t group_rows_ = 0;
  size_t pos_ = 0;
  uint64_t rows_out_ = 0;
  uint64_t total_rows_ = 0;
};

/// A table read whole, handed out in zero-copy slices.
class WholeTableSource final : public BatchSource {
 public:
  WholeTableSource(DataFrame frame, size_t batch_rows) : frame_(std::move(frame)), batch_rows_(batch_rows) {}
  const Schema& schema() const override { return frame_.schema(); }
  std::optional<DataFrame> Next() override {
    if (pos_ == frame_.num_rows()) return std::nullopt;
    const size_t n = std::min(batch_rows_, frame_.num_rows() - pos_);
    DataFrame out = frame_.Slice(pos_, n);
    pos_ += n;
    return out;
  }
  std::optional<BatchProgress> progress() const override {
    return BatchProgress{pos_, frame_.num_rows(), "rows"};
  }

 private:
  DataFrame frame_;
  size_t batch_rows_;
  size_t pos_ = 0;
};

}  // namespace

TableBatchReader TableBatchReader::Open(const std::string& path, const BatchReadOptions& options,
                                        const Context& ctx) {
  TableBatchReader reader = OpenSource(path, options, ctx);
  reader.StartProgress(options.progress_label.empty() ? "read " + path : options.progress_label, ctx);
  return reader;
}

TableBatchReader TableBatchReader::OpenSource(const std::string& path, const BatchReadOptions& options,
                                              const Context& ctx) {
  if (options.batch_rows == 0) throw InvalidArgument("batch_rows must be at least 1, not 0");
  if (options.chunk_bytes == 0) throw InvalidArgument("chunk_bytes must be at least 1, not 0");
  switch (FormatFromPath(path)) {
    case FileFormat::kCsv:
    case FileFormat::kCsvGz: {
      CsvBatchOptions csv;
      csv.csv.delimiter = options.table.delimiter;
      csv.csv.has_header = options.table.has_header;
      csv.csv.null_tokens = options.table.null_tokens;
      csv.csv.column_types = options.table.column_types;
      csv.csv.infer_rows = options.infer_rows;
      csv.csv.chunk_bytes = std::min(options.chunk_bytes, size_t{1} << 20);
      csv.batch_rows = options.batch_rows;
      csv.read_bytes = options.chunk_bytes;
      return FromSource(OpenCsvBatches(path, csv, ctx));
    }
    case FileFormat::kEmber: {
      EmberReadOptions ember;
      ember.verify_checksums = options.table.verify_checksums;
      return FromSource(
          std::make_unique<EmberBatchSource>(EmberRowGroupReader::Open(path, ember), options.batch_rows, ctx));
    }
    case FileFormat::kLibSvm:
      return FromSource(
          std::make_unique<WholeTableSource>(ReadLibSvm(path, LibSvmReadOptions{}, ctx), options.batch_rows));
  }
  throw InternalError("unhandled file format");
}

TableBatchReader TableBatchReader::FromSource(std::unique_ptr<BatchSource> source) {
  EMBER_CHECK(source != nullptr, "TableBatchReader::FromSource needs a source");
  return TableBatchReader(std::move(source));
}

TableBatchReader::~TableBatchReader() = default;

const Schema& TableBatchReader::schema() const { return source_->schema(); }

void TableBatchReader::StartProgress(const std::string& label, const Context& ctx) {
  const std::optional<BatchProgress> at = source_->progress();
  if (!at) return;
  ctx_.emplace(ctx);
  bar_ = ctx_->progress().Start(label, at->total, std::string(at->unit));
}

std::optional<DataFrame> TableBatchReader::Next() {
  std::optional<DataFrame> batch = source_->Next();
  if (batch) rows_read_ += static_cast<int64_t>(batch->num_rows());
  if (bar_) {
    const uint64_t done = source_->progress()->done;
    if (done > reported_) bar_->Advance(done - reported_);
    reported_ = std::max(reported_, done);
  }
  return batch;
}

}  // namespace ember
