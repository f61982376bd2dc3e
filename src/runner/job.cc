#include "runner/job.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/strings.h"
#include "core/version.h"
#include "io/table_io.h"
#include "ml/pipeline/persistence.h"
#include "report/run_report.h"
#include "runner/data_source.h"
#include "runner/label.h"
#include "runner/model_insights.h"
#include "runner/provenance.h"
#include "runner/report_data.h"
#include "runner/split.h"

namespace ember::runner {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// The label column as estimators will see it: string labels become float64.
Schema WithEncodedLabel(const Schema& schema, const std::string& label) {
  std::vector<Field> fields = schema.fields();
  for (Field& f : fields) {
    if (f.name == label && f.type.id == TypeId::kString) f.type = DataType::Float64();
  }
  return Schema::Make(std::move(fields));
}

/// Params as MLflow shows them: "pipeline.3.maxDepth" -> "8".
std::vector<std::pair<std::string, std::string>> FlattenParams(const RunSpec& spec, uint64_t seed,
                                                               const std::vector<BuiltStage>& stages) {
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("data.train", spec.data.train);
  if (!spec.data.test.empty()) {
    out.emplace_back("data.test", spec.data.test);
  } else if (!spec.data.test_rows.empty()) {
    out.emplace_back("data.split.test_rows", spec.data.test_rows);
  } else {
    out.emplace_back("data.split.test", fmt::format("{}", spec.data.test_fraction));
    out.emplace_back("data.split.stratify", spec.data.stratify ? "true" : "false");
  }
  out.emplace_back("label", spec.label.column);
  if (!spec.label.positive.empty()) out.emplace_back("label.positive", spec.label.positive);
  if (!spec.weight.empty()) out.emplace_back("weight", spec.weight);
  out.emplace_back("seed", std::to_string(seed));
  for (size_t i = 0; i < stages.size(); ++i) {
    out.emplace_back(fmt::format("pipeline.{}.stage", i), stages[i].stage->class_name());
    const nlohmann::json params = nlohmann::json::parse(stages[i].params_json);
    for (const auto& [key, value] : params.items()) {
      out.emplace_back(fmt::format("pipeline.{}.{}", i, key), value.is_string() ? value.get<std::string>()
                                                                                : value.dump());
    }
  }
  return out;
}

/// The key of the training data as prepared: file fingerprints, split and label settings.
std::string InputKey(const RunSpec& spec, uint64_t split_seed, const std::string& train_fp,
                     const std::string& test_fp) {
  const nlohmann::json key = {{"version", kVersion},   {"train", train_fp},
                              {"test", test_fp},       {"fraction", spec.data.test_fraction},
                              {"stratify", spec.data.stratify}, {"split_seed", split_seed},
                              {"test_rows", spec.data.test_rows.empty() ? "" : HexDigest(FingerprintFile(spec.data.test_rows))},
                              {"label", spec.label.column},     {"positive", spec.label.positive},
                              {"weight", spec.weight},          {"types", spec.data.column_types},
                              {"nulls", spec.data.null_values}};
  return HexDigest(Hash64(key.dump()));
}

std::vector<track::MetricPoint> MetricPoints(const std::string& prefix, const std::map<std::string, double>& m) {
  std::vector<track::MetricPoint> points;
  for (const auto& [key, value] : m) points.push_back({prefix + key, value, 0, 0});
  return points;
}

struct RunContext {
  const RunSpec& spec;
  const RunOptions& options;
  const Context& ctx;
  uint64_t seed;
  track::TrackingStore& store;
  const track::RunInfo& run;
  RunResult& result;
};

void Say(const RunOptions& options, const std::string& line) {
  if (options.say) options.say(line);
}

/// The body of a run, between CreateRun and EndRun.
void Execute(RunContext& rc, const std::vector<BuiltStage>& stages) {
  const RunSpec& spec = rc.spec;
  const Context& ctx = rc.ctx;
  const TableReadOptions read_options = ReadOptionsOf(spec.data);
  const std::string artifacts = rc.store.ArtifactDir(rc.run.run_id);

  auto t = Clock::now();
  DataFrame train = ReadTable(spec.data.train, read_options, ctx);
  Say(rc.options, fmt::format("read {} rows x {} columns from {} in {:.2f} s", train.num_rows(),
                              train.num_columns(), spec.data.train, Since(t)));
  const track::InputLineage train_input = DescribeInput("train", spec.data.train, train);
  rc.store.LogInput(rc.run.run_id, train_input);
  DataFrame test;
  std::string test_fingerprint;
  if (!spec.data.test.empty()) {
    t = Clock::now();
    test = ReadTable(spec.data.test, read_options, ctx);
    Say(rc.options, fmt::format("read {} rows from {} in {:.2f} s", test.num_rows(), spec.data.test, Since(t)));
    const track::InputLineage test_input = DescribeInput("test", spec.data.test, test);
    rc.store.LogInput(rc.run.run_id, test_input);
    test_fingerprint = test_input.fingerprint;
  }

  const bool regression = IsRegression(spec);
  const LabelEncoding label = LearnLabelEncoding(train, spec.label, !regression);
  train = EncodeLabel(train, label);
  const uint64_t split_seed = spec.data.split_seed.value_or(rc.seed);
  if (spec.data.test.empty()) {
    SplitFrames split = !spec.data.test_rows.empty()
                            ? SplitByRowFile(train, spec.data.test_rows)
                            : SplitTrainTest(train, spec.data.test_fraction, split_seed,
                                             spec.data.stratify ? spec.label.column : std::string());
    train = std::move(split.train);
    test = std::move(split.test);
    Say(rc.options, fmt::format("split {} train / {} test rows ({})", train.num_rows(), test.num_rows(),
                                !spec.data.test_rows.empty() ? "test rows from " + spec.data.test_rows
                                : fmt::format("seed {}{}", split_seed, spec.data.stratify ? ", stratified" : "")));
  } else {
    test = EncodeLabel(test, label);
  }
  rc.result.task = regression ? Task::kRegression : (label.classes.size() == 2 ? Task::kBinary : Task::kMulticlass);
  rc.store.SetTag(rc.run.run_id, "ember.task", std::string(TaskName(rc.result.task)));
  if (!label.classes.empty()) {
    rc.store.LogParam(rc.run.run_id, "label.classes", nlohmann::json(label.classes).dump());
  }
  const std::vector<std::string> metrics = spec.metrics.empty() ? DefaultMetrics(rc.result.task) : spec.metrics;
  for (const std::string& m : metrics) {
    if (!MetricAppliesTo(m, rc.result.task)) {
      throw InvalidArgument(fmt::format("{}: metric '{}' does not apply to a {} task", spec.path, m,
                                        TaskName(rc.result.task)));
    }
  }

  const std::string input_key = InputKey(spec, split_seed, train_input.fingerprint, test_fingerprint);
  std::optional<StageCache> cache;
  if (rc.options.use_cache) cache.emplace(CacheDirOf(rc.result.store), rc.options.cache_bytes);
  const FitResult fit = FitStages(
      stages, train, input_key, cache ? &*cache : nullptr,
      [&](size_t i, const StageOutcome& o) {
        Say(rc.options, fmt::format("stage {}/{} {}: {} in {:.2f} s", i + 1, stages.size(), o.stage_class,
                                    o.reused ? "reused from the stage cache" : "fitted", o.seconds));
      },
      ctx);
  rc.result.stages = fit.stages;
  std::vector<std::pair<std::string, std::string>> reuse_tags;
  for (size_t i = 0; i < fit.stages.size(); ++i) {
    reuse_tags.emplace_back(fmt::format("ember.stage.{}.reused", i), fit.stages[i].reused ? "true" : "false");
  }
  rc.store.SetTags(rc.run.run_id, reuse_tags);

  t = Clock::now();
  const DataFrame test_scored = fit.model->Transform(test, ctx);
  ScoredColumns columns;
  columns.label = spec.label.column;
  columns.weight = spec.weight;
  rc.result.test_metrics = ComputeMetrics(rc.result.task, metrics, test_scored, columns, ctx);
  rc.result.train_metrics = ComputeMetrics(rc.result.task, metrics, fit.train_output, columns, ctx);
  Say(rc.options, fmt::format("scored {} test rows in {:.2f} s", test_scored.num_rows(), Since(t)));

  std::vector<track::MetricPoint> points = MetricPoints("test_", rc.result.test_metrics);
  const std::vector<track::MetricPoint> train_points = MetricPoints("train_", rc.result.train_metrics);
  points.insert(points.end(), train_points.begin(), train_points.end());
  const ModelInsights insights = InspectModel(*fit.model->stages().back());
  for (const report::Series& series : insights.loss_history) {
    for (size_t step = 0; step < series.values.size(); ++step) {
      points.push_back({series.name + "_loss", series.values[step], static_cast<int64_t>(step), 0});
    }
  }
  rc.store.LogMetrics(rc.run.run_id, points);

  rc.result.model_dir = (fs::path(artifacts) / "model").string();
  SaveStage(*fit.model, rc.result.model_dir, SaveMode::kOverwrite);
  WriteFileAtomically((fs::path(artifacts) / "spec.json").string(), spec.canonical + "\n");
  if (fs::exists(spec.path)) WriteFileAtomically((fs::path(artifacts) / "spec.yaml").string(),
                                                 ReadFileToString(spec.path));

  ReportInputs report_in;
  report_in.title = spec.name;
  report_in.run_id = rc.run.run_id;
  report_in.task = rc.result.task;
  report_in.test_scored = &test_scored;
  report_in.model = fit.model.get();
  report_in.label = &label;
  report_in.weight_col = spec.weight;
  report_in.train_metrics = rc.result.train_metrics;
  report_in.test_metrics = rc.result.test_metrics;
  report_in.insights = insights;
  for (const auto& [key, value] : rc.store.Tags(rc.run.run_id)) report_in.lineage.emplace_back(key, value);
  report_in.lineage.emplace_back("train input", fmt::format("{} ({} rows, {} bytes, xxhash64 {})", train_input.path,
                                                            train_input.rows, train_input.size_bytes,
                                                            train_input.fingerprint));
  rc.result.report_path = (fs::path(artifacts) / "report.html").string();
  report::WriteReportHtml(MakeRunReport(report_in, ctx), rc.result.report_path);

  if (!spec.register_model.name.empty()) {
    track::ModelVersion version = rc.store.RegisterModel(spec.register_model.name, rc.run.run_id, "model",
                                                         spec.register_model.description);
    if (!spec.register_model.alias.empty()) {
      rc.store.SetAlias(version.name, spec.register_model.alias, version.version);
      version = rc.store.GetModelVersion(version.name, version.version);
    }
    rc.result.registered = version;
  }
}

}  // namespace

std::string CacheDirOf(const std::string& store_root) { return (fs::path(store_root) / "cache").string(); }

namespace {

/// CheckSpecAgainstData's checks; returns the stages built for `seed`.
std::vector<BuiltStage> CheckAndBuildStages(const RunSpec& spec, uint64_t seed, const Context& ctx) {
  const TableReadOptions read_options = ReadOptionsOf(spec.data);
  const Schema schema = ProbeSchema(spec.data.train, read_options, ctx);
  if (!spec.data.test.empty()) (void)ProbeSchema(spec.data.test, read_options, ctx);
  auto require = [&](const std::string& column, const SpecLocation& where, std::string_view what) {
    if (!schema.Contains(column)) {
      std::vector<std::string> names;
      for (const Field& f : schema.fields()) names.push_back(f.name);
      throw SchemaError(fmt::format("{}: {} column '{}' is not in {}{} (columns: {})", where.ToString(), what,
                                    column, spec.data.train, DidYouMean(column, names), Join(names)));
    }
  };
  require(spec.label.column, spec.label.location, "label");
  if (!spec.weight.empty()) require(spec.weight, spec.label.location, "weight");
  return BuildStages(spec, WithEncodedLabel(schema, spec.label.column), seed);
}

}  // namespace

void CheckSpecAgainstData(const RunSpec& spec, const Context& ctx) {
  (void)CheckAndBuildStages(spec, spec.seed.value_or(ctx.seed()), ctx);
}

RunResult RunJob(const RunSpec& spec, const RunOptions& options, const Context& ctx) {
  const uint64_t seed = spec.seed.value_or(ctx.seed());
  const std::vector<BuiltStage> stages = CheckAndBuildStages(spec, seed, ctx);

  RunResult result;
  result.store = track::ResolveStoreLocation(!options.store.empty() ? options.store : spec.tracking.store);
  track::TrackingStore store = track::TrackingStore::Open(result.store);
  result.store = store.root();
  result.run = store.CreateRun(spec.tracking.experiment, spec.name);
  const std::string& run_id = result.run.run_id;
  track::RunInterruptGuard guard(store.root(), run_id);
  try {
    const Provenance provenance = DetectProvenance(spec.path);
    std::vector<std::pair<std::string, std::string>> tags = {
        {std::string(track::kTagSourceName), fs::absolute(spec.path).lexically_normal().string()},
        {"ember.version", kVersion},
        {"ember.build", kBuildInfo},
        {"ember.spec.hash", HexDigest(Hash64(spec.canonical))},
        {"ember.host", provenance.host},
        {"ember.threads", std::to_string(ctx.threads())},
        {"ember.seed", std::to_string(seed)},
    };
    if (!provenance.git_commit.empty()) {
      tags.emplace_back(std::string(track::kTagGitCommit), provenance.git_commit);
      tags.emplace_back(std::string(track::kTagGitDirty), provenance.git_dirty ? "true" : "false");
    }
    store.SetTags(run_id, tags);
    store.LogParams(run_id, FlattenParams(spec, seed, stages));
    RunContext rc{spec, options, ctx, seed, store, result.run, result};
    Execute(rc, stages);
  } catch (const std::exception& e) {
    store.EndRun(run_id, track::RunStatus::kFailed, e.what());
    throw;
  }
  store.EndRun(run_id, track::RunStatus::kFinished);
  result.run = store.GetRun(run_id);
  return result;
}

}  // namespace ember::runner
