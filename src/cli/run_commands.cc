// `ember run SPEC`, `ember predict`, `ember cache clear|info`: the runner's
// front door (src/runner).
#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/app.h"
#include "cli/table_printer.h"
#include "runner/job.h"
#include "runner/predict.h"
#include "runner/spec.h"
#include "runner/stage_cache.h"
#include "track/tracking_store.h"

namespace ember::cli {
namespace {

std::string FormatMetric(const std::map<std::string, double>& metrics, const std::string& name) {
  auto it = metrics.find(name);
  return it == metrics.end() ? "-" : fmt::format("{:.6g}", it->second);
}

void PrintSummary(const runner::RunResult& r) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, value] : r.test_metrics) {
    rows.push_back({name, FormatMetric(r.train_metrics, name), FormatMetric(r.test_metrics, name)});
  }
  std::printf("\n%s", FormatTable({"metric", "train", "test"}, rows).c_str());
  std::printf("\nrun     %s (%s, experiment '%s')\n", r.run.run_id.c_str(),
              std::string(track::RunStatusName(r.run.status)).c_str(), r.run.experiment_name.c_str());
  std::printf("store   %s\n", r.store.c_str());
  std::printf("model   %s\n", r.model_dir.c_str());
  std::printf("report  %s\n", r.report_path.c_str());
  if (r.registered) {
    std::printf("registered models:/%s/%lld%s\n", r.registered->name.c_str(),
                static_cast<long long>(r.registered->version),
                r.registered->aliases.empty() ? "" : fmt::format(" (@{})", fmt::join(r.registered->aliases, ", @")).c_str());
  }
}

}  // namespace

void RegisterRunCommands(CLI::App& app, std::function<void(Action)> on_run) {
  struct RunFlags {
    std::string spec;
    std::vector<std::string> overrides;
    std::string store;
    bool no_cache = false;
    bool check_only = false;
  };
  auto rf = std::make_shared<RunFlags>();
  auto* run = app.add_subcommand("run", "run a YAML pipeline spec end to end and record it");
  run->add_option("spec", rf->spec, "the spec file (YAML)")->required();
  run->add_option("--set", rf->overrides, "override a spec value, e.g. --set pipeline.2.maxDepth=8 (repeatable)");
  run->add_option("--store", rf->store, "tracking store folder (default: spec, $EMBER_TRACKING_URI, ./ember-runs)");
  run->add_flag("--no-cache", rf->no_cache, "refit every stage; neither read nor write the stage cache");
  run->add_flag("--check", rf->check_only, "only check the spec against the data's schema; run nothing");
  run->callback([=] {
    on_run([=](const GlobalOptions& g) {
      const Context ctx = g.MakeContext();
      const runner::RunSpec spec = runner::LoadSpec(rf->spec, rf->overrides);
      if (rf->check_only) {
        runner::CheckSpecAgainstData(spec, ctx);
        std::printf("%s: ok (%zu stages)\n", rf->spec.c_str(), spec.pipeline.size());
        return;
      }
      runner::RunOptions options;
      options.store = rf->store;
      options.use_cache = !rf->no_cache;
      options.say = [quiet = g.quiet](const std::string& line) {
        if (!quiet) std::printf("%s\n", line.c_str());
        std::fflush(stdout);
      };
      const runner::RunResult result = runner::RunJob(spec, options, ctx);
      PrintSummary(result);
    });
  });

  struct PredictFlags {
    runner::PredictOptions options;
    std::string store;
  };
  auto pf = std::make_shared<PredictFlags>();
  auto* predict = app.add_subcommand("predict", "score a file with a saved model, streaming it in row batches");
  predict->add_option("-m,--model", pf->options.model, "model directory, or models:/NAME@ALIAS, models:/NAME/VERSION")
      ->required();
  predict->add_option("-i,--input", pf->options.input, "input file (CSV, .csv.gz, .ember, LibSVM)")->required();
  predict->add_option("-o,--output", pf->options.output, "output file (.csv or .ember)")->required();
  predict->add_option("--batch-rows", pf->options.batch_rows, "rows per batch (bounds memory)")
      ->default_val(65536)->check(CLI::Range(size_t{1}, size_t{1} << 26));
  predict->add_option("--store", pf->store, "tracking store for models:/ URIs");
  predict->callback([=] {
    on_run([=](const GlobalOptions& g) {
      runner::PredictOptions options = pf->options;
      if (track::IsModelUri(options.model)) {
        options.model = track::TrackingStore::Open(track::ResolveStoreLocation(pf->store)).ResolveModelUri(options.model);
      }
      const runner::PredictResult r = runner::Predict(options, g.MakeContext());
      std::printf("scored %lld rows in %.3f s (first row scored after %.3f s) -> %s\n",
                  static_cast<long long>(r.rows), r.seconds, r.first_batch_seconds, options.output.c_str());
    });
  });

  auto store = std::make_shared<std::string>();
  auto* cache = app.add_subcommand("cache", "the stage cache that lets re-runs resume");
  cache->require_subcommand(1);
  cache->add_option("--store", *store, "tracking store whose cache to use");
  auto* clear = cache->add_subcommand("clear", "delete every cached stage");
  clear->callback([=] {
    on_run([=](const GlobalOptions&) {
      const runner::StageCache c(runner::CacheDirOf(track::ResolveStoreLocation(*store)), runner::kDefaultCacheBytes);
      const uint64_t bytes = c.Clear();
      std::printf("cleared %s (%llu bytes)\n", c.dir().c_str(), static_cast<unsigned long long>(bytes));
    });
  });
  auto* info = cache->add_subcommand("info", "where the cache is and how big");
  info->callback([=] {
    on_run([=](const GlobalOptions&) {
      const runner::StageCache c(runner::CacheDirOf(track::ResolveStoreLocation(*store)), runner::kDefaultCacheBytes);
      std::printf("%s: %llu bytes\n", c.dir().c_str(), static_cast<unsigned long long>(c.SizeBytes()));
    });
  });
}

}  // namespace ember::cli
