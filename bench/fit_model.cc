// ember's side of the model benchmarks: load a table, assemble its feature
// columns, fit one estimator on the first 80% of rows, score the last 20%,
// and print one JSON line with the timings and the test metric.
//
// usage: ember_bench_fit DATA STAGE [PARAMS_JSON] [--threads N] [--label COL] [--save DIR]
//   DATA   .ember or .csv (label column first, then features)
//   STAGE  an estimator name, e.g. LogisticRegression
//   --save DIR  also save PipelineModel[VectorAssembler, fitted model] to DIR
//               (replacing it), so `ember predict` can score the raw table
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "io/table_io.h"
#include "ml/builtin/builtin_stages.h"
#include "ml/eval/binary_evaluator.h"
#include "ml/pipeline/persistence.h"
#include "ml/pipeline/pipeline.h"
#include "ml/pipeline/stage.h"

namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int Run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  int threads = 0;
  std::string label = "label";
  std::string save_dir;
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--threads" && i + 1 < args.size()) {
      threads = std::stoi(args[++i]);
    } else if (args[i] == "--label" && i + 1 < args.size()) {
      label = args[++i];
    } else if (args[i] == "--save" && i + 1 < args.size()) {
      save_dir = args[++i];
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.size() < 2) {
    std::fprintf(stderr, "usage: ember_bench_fit DATA STAGE [PARAMS_JSON] [--threads N] [--label COL] [--save DIR]\n");
    return 2;
  }
  const ember::Context ctx = ember::Context::Default(threads);
  const ember::StageRegistry& registry = ember::BuiltinStages();

  auto t0 = Clock::now();
  const ember::DataFrame data = ember::ReadTable(positional[0], {}, ctx);
  const double load_s = Since(t0);

  std::vector<std::string> features;
  for (const auto& f : data.schema().fields()) {
    if (f.name != label) features.push_back(f.name);
  }
  t0 = Clock::now();
  const std::shared_ptr<const ember::Stage> assembler = registry.Make("VectorAssembler", {{"inputCols", features}, {"outputCol", "features"}});
  const ember::DataFrame assembled =
      dynamic_cast<const ember::Transformer&>(*assembler).Transform(data, ctx).Select(
          std::vector<std::string>{label, "features"});
  const double assemble_s = Since(t0);
  const size_t train_rows = assembled.num_rows() * 8 / 10;
  const ember::DataFrame train = assembled.Slice(0, train_rows);
  const ember::DataFrame test = assembled.Slice(train_rows, assembled.num_rows() - train_rows);

  nlohmann::json params = positional.size() > 2 ? nlohmann::json::parse(positional[2]) : nlohmann::json::object();
  params["labelCol"] = label;
  auto stage = registry.Make(positional[1], params);
  const auto* estimator = dynamic_cast<const ember::Estimator*>(stage.get());
  if (estimator == nullptr) throw ember::InvalidArgument(positional[1] + " is not an estimator");
  t0 = Clock::now();
  const ember::ModelPtr model = estimator->Fit(train, ctx);
  const double fit_s = Since(t0);
  t0 = Clock::now();
  const ember::DataFrame scored = model->Transform(test, ctx);
  const double predict_s = Since(t0);
  const double auc = ember::BinaryClassificationEvaluator::Make({{"labelCol", label}}).Evaluate(scored, ctx);
  double save_s = 0;
  if (!save_dir.empty()) {
    // The assembler is part of the saved model so that it scores the raw
    // table (label column optional) as it is read from disk.
    t0 = Clock::now();
    const ember::PipelineModel pipeline(
        {std::dynamic_pointer_cast<const ember::Transformer>(assembler), model}, ember::MakeUid("PipelineModel"),
        data.schema());
    ember::SaveStage(pipeline, save_dir, ember::SaveMode::kOverwrite);
    save_s = Since(t0);
  }
  std::printf("%s\n", nlohmann::json{{"stage", positional[1]}, {"rows", data.num_rows()}, {"train_rows", train_rows},
                                     {"load_seconds", load_s}, {"assemble_seconds", assemble_s},
                                     {"fit_seconds", fit_s}, {"predict_seconds", predict_s}, {"test_auc", auc},
                                     {"save_seconds", save_s}, {"threads", ctx.threads()}}
                          .dump()
                          .c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ember_bench_fit: %s\n", e.what());
    return 1;
  }
}
