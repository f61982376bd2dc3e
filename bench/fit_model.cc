// ember's side of the model benchmarks: load a table, assemble its feature
// columns, fit one estimator on the first 80% of rows, score the last 20%,
// and print one JSON line with the timings, the test metric and memory.
//
// usage: ember_bench_fit DATA STAGE [PARAMS_JSON] [--threads N] [--label COL] [--save DIR] [--whole]
//                        [--model DIR] [--predict-reps N]
//   DATA   .ember or .csv (label column first, then features)
//   STAGE  an estimator name, e.g. LogisticRegression
//   --save DIR  also save PipelineModel[VectorAssembler, fitted model] to DIR
//               (replacing it), so `ember predict` can score the raw table
//   --whole     read the whole table, then assemble it (the default for CSV)
//   --model DIR skip the fit: score with the model of a PipelineModel that
//               --save wrote (its last stage); fit_seconds is then 0
//   --predict-reps N  score the test rows N times; predict_seconds is the
//               fastest (the first call also packs the trees)
//
// A .ember file is read a row group at a time (TableBatchReader): each batch
// goes through the same VectorAssembler and is copied into one float32
// matrix, and the batch's pages are given back. The process then holds the
// feature matrix and the labels, not the raw columns as well; with --whole
// it holds both (about twice the matrix).
//
// Memory in the JSON line: feature_matrix_bytes (rows x dim x 4),
// fit_peak_rss_bytes (the peak resident set from just before Fit to just
// after it, Linux's /proc/self/clear_refs reset) and peak_rss_bytes
// (VmHWM at exit: the same reset, so the fit's and the scoring's). The
// loader's freed buffers are handed back before the fit (ReleaseFreedMemory).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/process_memory.h"
#include "io/ember_file.h"
#include "io/table_batch_reader.h"
#include "io/table_io.h"
#include "ml/builtin/builtin_stages.h"
#include "ml/eval/binary_evaluator.h"
#include "ml/linear/logistic_regression.h"
#include "ml/pipeline/persistence.h"
#include "ml/pipeline/pipeline.h"
#include "ml/pipeline/stage.h"
#include "ml/tree/tree_models.h"

namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Makes the peak resident set restart from the current one.
void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

struct Assembled {
  ember::DataFrame frame;  // label and features (vector)
  ember::Schema raw_schema;
  double load_s = 0;
  double assemble_s = 0;
};

std::vector<std::string> FeatureNames(const ember::Schema& schema, const std::string& label) {
  std::vector<std::string> features;
  for (const auto& f : schema.fields()) {
    if (f.name != label) features.push_back(f.name);
  }
  return features;
}

using MakeAssembler = std::function<std::shared_ptr<const ember::Stage>(const ember::Schema&)>;

Assembled ReadWhole(const std::string& path, const std::string& label, const MakeAssembler& make,
                    std::shared_ptr<const ember::Stage>* assembler, const ember::Context& ctx) {
  Assembled out;
  auto t0 = Clock::now();
  const ember::DataFrame data = ember::ReadTable(path, {}, ctx);
  out.load_s = Since(t0);
  t0 = Clock::now();
  *assembler = make(data.schema());
  out.frame = dynamic_cast<const ember::Transformer&>(**assembler)
                  .Transform(data, ctx)
                  .Select(std::vector<std::string>{label, "features"});
  out.assemble_s = Since(t0);
  out.raw_schema = data.schema();
  return out;
}

// Row group by row group into one preallocated matrix (see the file comment).
Assembled ReadStreamed(const std::string& path, const std::string& label, const ember::Transformer& assembler,
                       int32_t dim, const ember::Context& ctx) {
  Assembled out;
  const size_t rows = ember::ReadEmberInfo(path).num_rows;
  const auto d = static_cast<size_t>(dim);
  auto matrix = ember::Buffer::Allocate(rows * d * sizeof(float));
  ember::TableBatchReader reader = ember::TableBatchReader::Open(path, {}, ctx);
  out.raw_schema = reader.schema();
  // Labels keep the file's numeric type (4 bytes a row for int32).
  const ember::DataType label_type = out.raw_schema.field(out.raw_schema.IndexOf(label)).type;
  const size_t label_width = label_type.is_numeric() ? label_type.fixed_width() : 0;
  if (label_width == 0) {
    throw ember::InvalidArgument(
        fmt::format("{}: label column '{}' must be numeric, got {}", path, label, label_type.ToString()));
  }
  auto labels = ember::Buffer::Allocate(rows * label_width);
  size_t at = 0;
  for (;;) {
    auto t0 = Clock::now();
    std::optional<ember::DataFrame> batch = reader.Next();
    out.load_s += Since(t0);
    if (!batch) break;
    t0 = Clock::now();
    const size_t n = batch->num_rows();
    if (at + n > rows) throw ember::CorruptData(fmt::format("{}: more rows than its footer's {}", path, rows));
    const ember::DataFrame assembled = assembler.Transform(*batch, ctx);
    std::memcpy(matrix->mutable_as<float>() + at * d, assembled.column("features")->DenseRow(0).data(),
                n * d * sizeof(float));
    const ember::Column& y = *batch->column(label);
    if (y.null_count() > 0) {
      throw ember::InvalidArgument(fmt::format("{}: label column '{}' has nulls; read it with --whole", path, label));
    }
    std::memcpy(labels->mutable_data() + at * label_width, y.buffers().values->data(), n * label_width);
    at += n;
    out.assemble_s += Since(t0);
  }
  if (at != rows) throw ember::CorruptData(fmt::format("{}: {} rows read, its footer says {}", path, at, rows));
  out.frame = ember::DataFrame::Make(
      {label, "features"},
      {ember::Column::Make(label_type, rows, {.values = std::move(labels)}),
       ember::Column::Make(ember::DataType::DenseVector(dim), rows, {.values = std::move(matrix)})});
  return out;
}

const ember::TreeEnsemble* EnsembleOf(const ember::Model& model) {
  if (const auto* c = dynamic_cast<const ember::TreeClassificationModel*>(&model)) return &c->ensemble();
  if (const auto* r = dynamic_cast<const ember::TreeRegressionModel*>(&model)) return &r->ensemble();
  return nullptr;
}

/// The fitted model inside a PipelineModel[assembler, model] that --save wrote.
ember::ModelPtr LoadFittedModel(const ember::StageRegistry& registry, const std::string& dir) {
  const auto pipeline = ember::LoadStageAs<ember::PipelineModel>(registry, dir);
  const auto model = std::dynamic_pointer_cast<const ember::Model>(pipeline->stages().back());
  if (model == nullptr) throw ember::InvalidArgument(fmt::format("{}: its last stage is not a model", dir));
  return model;
}

/// Median and 99th percentile of the single-row path's latency (serving one
/// request), timed one call at a time over up to 20,000 test rows.
std::pair<double, double> SingleRowLatencyMicros(const ember::TreeEnsemble& ensemble, const ember::Column& features) {
  const auto d = static_cast<size_t>(features.type().dim);
  const auto x = features.values<float>();
  const size_t rows = std::min<size_t>(20000, features.length());
  std::vector<double> raw(static_cast<size_t>(ensemble.num_outputs));
  std::vector<double> micros(rows);
  for (size_t i = 0; i < rows; ++i) {
    const auto t0 = Clock::now();
    ensemble.PredictRow(x.subspan(i * d, d), raw);
    micros[i] = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
  }
  std::sort(micros.begin(), micros.end());
  return {micros[rows / 2], micros[rows * 99 / 100]};
}

int Run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  int threads = 0;
  std::string label = "label";
  std::string save_dir;
  std::string model_dir;
  int predict_reps = 1;
  bool whole = false;
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--threads" && i + 1 < args.size()) {
      threads = std::stoi(args[++i]);
    } else if (args[i] == "--label" && i + 1 < args.size()) {
      label = args[++i];
    } else if (args[i] == "--save" && i + 1 < args.size()) {
      save_dir = args[++i];
    } else if (args[i] == "--model" && i + 1 < args.size()) {
      model_dir = args[++i];
    } else if (args[i] == "--predict-reps" && i + 1 < args.size()) {
      predict_reps = std::max(1, std::stoi(args[++i]));
    } else if (args[i] == "--whole") {
      whole = true;
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.size() < 2) {
    std::fprintf(stderr,
                 "usage: ember_bench_fit DATA STAGE [PARAMS_JSON] [--threads N] [--label COL] [--save DIR] "
                 "[--whole] [--model DIR] [--predict-reps N]\n");
    return 2;
  }
  const std::string& path = positional[0];
  const ember::Context ctx = ember::Context::Default(threads);
  const ember::StageRegistry& registry = ember::BuiltinStages();

  const bool streamed = !whole && path.ends_with(".ember");
  const MakeAssembler make_assembler = [&](const ember::Schema& schema) -> std::shared_ptr<const ember::Stage> {
    return registry.Make("VectorAssembler", {{"inputCols", FeatureNames(schema, label)}, {"outputCol", "features"}});
  };
  std::shared_ptr<const ember::Stage> assembler_stage;
  Assembled data;
  if (streamed) {
    const ember::Schema schema = ember::ReadEmberInfo(path).schema;
    assembler_stage = make_assembler(schema);
    const auto& assembler = dynamic_cast<const ember::Transformer&>(*assembler_stage);
    const int32_t dim = assembler.TransformSchema(schema).fields().back().type.dim;
    data = ReadStreamed(path, label, assembler, dim, ctx);
  } else {
    data = ReadWhole(path, label, make_assembler, &assembler_stage, ctx);
  }
  const ember::DataFrame& assembled = data.frame;
  const size_t rows = assembled.num_rows();
  const size_t matrix_bytes = rows * static_cast<size_t>(assembled.column("features")->type().dim) * sizeof(float);
  const size_t train_rows = rows * 8 / 10;
  const ember::DataFrame train = assembled.Slice(0, train_rows);
  const ember::DataFrame test = assembled.Slice(train_rows, rows - train_rows);

  nlohmann::json params = positional.size() > 2 ? nlohmann::json::parse(positional[2]) : nlohmann::json::object();
  params["labelCol"] = label;
  auto stage = registry.Make(positional[1], params);
  const auto* estimator = dynamic_cast<const ember::Estimator*>(stage.get());
  if (estimator == nullptr) throw ember::InvalidArgument(positional[1] + " is not an estimator");
  // The row groups' freed buffers would otherwise stay resident (they are
  // below the mapping threshold): the peak below is the fit's.
  ember::ReleaseFreedMemory();
  ResetPeakRss();
  auto t0 = Clock::now();
  const ember::ModelPtr model = model_dir.empty() ? estimator->Fit(train, ctx) : LoadFittedModel(registry, model_dir);
  const double fit_s = model_dir.empty() ? Since(t0) : 0.0;
  const size_t fit_peak = ember::PeakResidentBytes();
  ember::DataFrame scored;
  double predict_s = 0;
  for (int rep = 0; rep < predict_reps; ++rep) {
    t0 = Clock::now();
    scored = model->Transform(test, ctx);
    predict_s = rep == 0 ? Since(t0) : std::min(predict_s, Since(t0));
  }
  const double auc = ember::BinaryClassificationEvaluator::Make({{"labelCol", label}}).Evaluate(scored, ctx);
  double save_s = 0;
  if (!save_dir.empty()) {
    // The assembler is part of the saved model so that it scores the raw
    // table (label column optional) as it is read from disk.
    t0 = Clock::now();
    const ember::PipelineModel pipeline({std::dynamic_pointer_cast<const ember::Transformer>(assembler_stage), model},
                                        ember::MakeUid("PipelineModel"), data.raw_schema);
    ember::SaveStage(pipeline, save_dir, ember::SaveMode::kOverwrite);
    save_s = Since(t0);
  }
  nlohmann::json out{{"stage", positional[1]},
                     {"rows", rows},
                     {"train_rows", train_rows},
                     {"load", streamed ? "row groups" : "whole"},
                     {"load_seconds", data.load_s},
                     {"assemble_seconds", data.assemble_s},
                     {"fit_seconds", fit_s},
                     {"predict_seconds", predict_s},
                     {"test_auc", auc},
                     {"save_seconds", save_s},
                     {"feature_matrix_bytes", matrix_bytes},
                     {"fit_peak_rss_bytes", fit_peak},
                     {"peak_rss_bytes", ember::PeakResidentBytes()},
                     {"threads", ctx.threads()}};
  if (const ember::TreeEnsemble* ensemble = EnsembleOf(*model)) {
    const auto [p50, p99] = SingleRowLatencyMicros(*ensemble, *test.column("features"));
    out["predict_row_p50_us"] = p50;
    out["predict_row_p99_us"] = p99;
  }
  if (const auto* lr = dynamic_cast<const ember::LogisticRegressionModel*>(model.get())) {
    out["iterations"] = lr->summary().total_iterations;
  }
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ember::MapLargeBlocks();  // as the ember command does
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ember_bench_fit: %s\n", e.what());
    return 1;
  }
}
