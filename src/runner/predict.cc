#include "runner/predict.h"

#include <chrono>
#include <optional>
#include <variant>

#include <fmt/format.h>

#include "core/error.h"
#include "io/csv_writer.h"
#include "io/ember_file.h"
#include "io/file_format.h"
#include "io/table_batch_reader.h"
#include "ml/builtin/builtin_stages.h"
#include "ml/pipeline/persistence.h"
#include "runner/data_source.h"

namespace ember::runner {
namespace {

using Clock = std::chrono::steady_clock;

/// The scored batch reduced to what predict writes: the input columns,
/// prediction, and the probability vector split into one column per class.
DataFrame OutputColumns(const DataFrame& input, const DataFrame& scored) {
  DataFrame out = input;
  if (scored.schema().Contains("prediction")) out = out.WithColumn("prediction", scored.column("prediction"));
  if (scored.schema().Contains("probability")) {
    const Column& probability = *scored.column("probability");
    if (probability.type().id == TypeId::kDenseVector) {
      const auto k = static_cast<size_t>(probability.type().dim);
      for (size_t c = 0; c < k; ++c) {
        std::vector<double> values(probability.length());
        for (size_t i = 0; i < values.size(); ++i) values[i] = probability.DenseRow(i)[c];
        out = out.WithColumn(fmt::format("probability_{}", c), MakeColumn(values));
      }
    }
  }
  return out;
}

/// Either output writer, opened once the first batch fixes the schema.
class OutputWriter {
 public:
  OutputWriter(std::string path) : path_(std::move(path)), format_(FormatFromPath(path_)) {
    if (format_ != FileFormat::kCsv && format_ != FileFormat::kEmber) {
      throw InvalidArgument(fmt::format("predict writes CSV (.csv) or .ember, not '{}'", path_));
    }
  }
  void Append(const DataFrame& batch, const Context& ctx) {
    if (format_ == FileFormat::kCsv) {
      if (!csv_) csv_.emplace(CsvStreamWriter::Open(path_, batch.schema(), {}));
      csv_->Append(batch, ctx);
    } else {
      if (!ember_) ember_.emplace(EmberFileWriter::Open(path_, batch.schema(), {}));
      ember_->Append(batch, ctx);
    }
  }
  void Commit() {
    if (csv_) csv_->Commit();
    if (ember_) ember_->Commit();
  }

 private:
  std::string path_;
  FileFormat format_;
  std::optional<CsvStreamWriter> csv_;
  std::optional<EmberFileWriter> ember_;
};

}  // namespace

PredictResult Predict(const PredictOptions& options, const Context& ctx) {
  const auto start = Clock::now();
  const std::shared_ptr<const Model> model = LoadStageAs<Model>(BuiltinStages(), options.model);
  BatchReadOptions read;
  read.batch_rows = options.batch_rows;
  // The reader's bar is the command's: over the input, with a total and ETA.
  read.progress_label = "score " + options.input;
  // Numeric columns the model was fitted on keep their fitted types, so a
  // batch never infers a narrower type than training saw. (The label, which
  // the runner encodes before fitting, may differ and is not needed.)
  const Schema present = ProbeSchema(options.input, read.table, ctx);
  for (const Field& f : model->input_schema().fields()) {
    const std::optional<size_t> index = present.Find(f.name);
    if (index && f.type.is_numeric() && present.field(*index).type.is_numeric() &&
        FormatFromPath(options.input) != FileFormat::kEmber) {
      read.table.column_types[f.name] = f.type;
    }
  }
  TableBatchReader reader = TableBatchReader::Open(options.input, read, ctx);
  // Every schema error surfaces here, before any row is scored.
  (void)model->TransformSchema(reader.schema());

  OutputWriter writer(options.output);
  PredictResult result;
  while (std::optional<DataFrame> batch = reader.Next()) {
    const DataFrame scored = model->Transform(*batch, ctx);
    writer.Append(OutputColumns(*batch, scored), ctx);
    if (result.rows == 0) result.first_batch_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    result.rows += static_cast<int64_t>(batch->num_rows());
  }
  writer.Commit();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace ember::runner
