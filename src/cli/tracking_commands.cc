// `ember runs ...` and `ember models ...`: the tracking store and the model
// registry on the command line (see docs/tracking.md).
#include "cli/tracking_commands.h"

#include <time.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/app.h"
#include "cli/table_printer.h"
#include "core/error.h"
#include "track/mlflow_export.h"

namespace ember::cli {

namespace {

std::string Number(double v) { return std::isnan(v) ? "nan" : fmt::format("{:.6g}", v); }

std::string Short(const std::string& run_id) { return run_id.substr(0, 8); }

// Cells: long values are cut so that a table stays readable.
std::string Cell(const std::string& s, size_t max = 40) {
  return s.size() <= max ? s : s.substr(0, max - 3) + "...";
}

}  // namespace

std::string FormatTimeUtc(int64_t ms) {
  const time_t t = static_cast<time_t>(ms / 1000);
  tm parts{};
  gmtime_r(&t, &parts);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &parts);
  return buf;
}

std::string FormatDuration(int64_t start_ms, int64_t end_ms) {
  if (end_ms <= 0) return "-";
  const double s = static_cast<double>(end_ms - start_ms) / 1000.0;
  if (s < 60) return fmt::format("{:.1f}s", s);
  const int64_t whole = static_cast<int64_t>(s);
  if (whole < 3600) return fmt::format("{}m{:02d}s", whole / 60, whole % 60);
  return fmt::format("{}h{:02d}m", whole / 3600, (whole % 3600) / 60);
}

track::RunFilter MakeRunFilter(const RunListOptions& o) {
  track::RunFilter f;
  f.experiment = o.experiment;
  f.metric = o.filter;
  f.limit = o.limit;
  if (!o.tag.empty()) {
    const size_t eq = o.tag.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw InvalidArgument(fmt::format("--tag '{}' is not KEY=VALUE", o.tag));
    }
    f.tag_key = o.tag.substr(0, eq);
    f.tag_value = o.tag.substr(eq + 1);
  }
  return f;
}

std::string FormatRunList(const track::TrackingStore& store, const std::vector<track::RunInfo>& runs,
                          const RunListOptions& options) {
  if (runs.empty()) return "no runs\n";
  std::vector<std::string> ids;
  ids.reserve(runs.size());
  for (const track::RunInfo& r : runs) ids.push_back(r.run_id);
  const std::vector<track::TrackingStore::RunValues> values = store.ValuesOf(ids);
  std::map<std::string, std::set<std::string>> param_values;
  std::map<std::string, size_t> param_count;
  std::set<std::string> metric_keys;
  for (const auto& v : values) {
    for (const auto& [k, value] : v.params) {
      param_values[k].insert(value);
      ++param_count[k];
    }
    for (const auto& [k, value] : v.metrics) metric_keys.insert(k);
  }
  // Key params: the ones that tell the listed runs apart.
  std::vector<std::string> key_params;
  for (const auto& [k, values] : param_values) {
    if (key_params.size() < options.max_params && (values.size() > 1 || param_count[k] < runs.size())) {
      key_params.push_back(k);
    }
  }
  std::vector<std::string> key_metrics;
  for (const std::string& k : metric_keys) {
    if (key_metrics.size() < options.max_metrics) key_metrics.push_back(k);
  }
  std::vector<std::string> header = {"run", "experiment", "name", "status", "started (UTC)", "duration"};
  for (const std::string& k : key_params) header.push_back(k);
  for (const std::string& k : key_metrics) header.push_back(k);
  std::vector<std::vector<std::string>> rows;
  rows.reserve(runs.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    const track::RunInfo& r = runs[i];
    std::vector<std::string> row = {Short(r.run_id), Cell(r.experiment_name, 24), Cell(r.name, 24),
                                    std::string(track::RunStatusName(r.status)), FormatTimeUtc(r.start_ms),
                                    FormatDuration(r.start_ms, r.end_ms)};
    for (const std::string& k : key_params) {
      auto it = values[i].params.find(k);
      row.push_back(it == values[i].params.end() ? "" : Cell(it->second, 20));
    }
    for (const std::string& k : key_metrics) {
      auto it = values[i].metrics.find(k);
      row.push_back(it == values[i].metrics.end() ? "" : Number(it->second));
    }
    rows.push_back(std::move(row));
  }
  std::string out = FormatTable(header, rows);
  out += fmt::format("{} run{}\n", runs.size(), runs.size() == 1 ? "" : "s");
  return out;
}

std::string FormatRunDetails(const track::TrackingStore& store, const track::RunInfo& r) {
  std::string out;
  out += fmt::format("run         {}\n", r.run_id);
  out += fmt::format("name        {}\n", r.name);
  out += fmt::format("experiment  {} (id {})\n", r.experiment_name, r.experiment_id);
  out += fmt::format("status      {}{}\n", track::RunStatusName(r.status), r.error.empty() ? "" : ": " + r.error);
  out += fmt::format("started     {} UTC\n", FormatTimeUtc(r.start_ms));
  out += fmt::format("duration    {}\n", FormatDuration(r.start_ms, r.end_ms));
  out += fmt::format("by          {}@{} (pid {})\n", r.user, r.host, r.pid);
  if (!r.parent_run_id.empty()) out += fmt::format("parent      {}\n", r.parent_run_id);
  out += fmt::format("artifacts   {}\n", r.artifact_dir);

  const auto inputs = store.Inputs(r.run_id);
  if (!inputs.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& in : inputs) {
      rows.push_back({in.role, in.path, std::to_string(in.rows), std::to_string(in.size_bytes), in.fingerprint});
    }
    out += "\ninputs\n" + FormatTable({"role", "path", "rows", "bytes", "xxhash64"}, rows);
  }
  const auto params = store.Params(r.run_id);
  if (!params.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : params) rows.push_back({k, v});
    out += "\nparams\n" + FormatTable({"param", "value"}, rows);
  }
  const auto history = store.MetricHistory(r.run_id);
  if (!history.empty()) {
    std::map<std::string, size_t> points;
    for (const auto& p : history) ++points[p.key];
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : store.LatestMetrics(r.run_id)) rows.push_back({k, Number(v), std::to_string(points[k])});
    out += "\nmetrics (latest step)\n" + FormatTable({"metric", "value", "points"}, rows);
  }
  const auto tags = store.Tags(r.run_id);
  if (!tags.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : tags) rows.push_back({k, Cell(v, 80)});
    out += "\ntags\n" + FormatTable({"tag", "value"}, rows);
  }
  return out;
}

std::string FormatRunComparison(const track::TrackingStore& store, const std::vector<track::RunInfo>& runs) {
  std::vector<std::string> header = {"", ""};
  for (const auto& r : runs) header.push_back(Short(r.run_id));
  std::vector<std::map<std::string, std::string>> params;
  std::vector<std::map<std::string, double>> metrics;
  std::set<std::string> param_keys, metric_keys;
  for (const auto& r : runs) {
    params.push_back(store.Params(r.run_id));
    metrics.push_back(store.LatestMetrics(r.run_id));
    for (const auto& kv : params.back()) param_keys.insert(kv.first);
    for (const auto& kv : metrics.back()) metric_keys.insert(kv.first);
  }
  std::vector<std::vector<std::string>> rows;
  auto add = [&](const std::string& kind, const std::string& key, const std::vector<std::string>& cells) {
    const bool differs = std::set<std::string>(cells.begin(), cells.end()).size() > 1;
    std::vector<std::string> row = {differs ? "*" : "", kind + " " + key};
    row.insert(row.end(), cells.begin(), cells.end());
    rows.push_back(std::move(row));
  };
  {
    std::vector<std::string> names, statuses;
    for (const auto& r : runs) {
      names.push_back(Cell(r.name, 24));
      statuses.push_back(std::string(track::RunStatusName(r.status)));
    }
    add("run", "name", names);
    add("run", "status", statuses);
  }
  for (const std::string& k : param_keys) {
    std::vector<std::string> cells;
    for (const auto& p : params) {
      auto it = p.find(k);
      cells.push_back(it == p.end() ? "-" : Cell(it->second, 24));
    }
    add("param", k, cells);
  }
  for (const std::string& k : metric_keys) {
    std::vector<std::string> cells;
    for (const auto& m : metrics) {
      auto it = m.find(k);
      cells.push_back(it == m.end() ? "-" : Number(it->second));
    }
    add("metric", k, cells);
  }
  return FormatTable(header, rows) + "(* = differs)\n";
}

std::string FormatModelList(const track::TrackingStore& store) {
  const auto names = store.ListModels();
  if (names.empty()) return "no registered models\n";
  std::vector<std::vector<std::string>> rows;
  for (const std::string& name : names) {
    const auto versions = store.ListModelVersions(name);
    std::vector<std::string> aliases;
    for (const auto& v : versions) {
      for (const auto& a : v.aliases) aliases.push_back(fmt::format("{}->v{}", a, v.version));
    }
    rows.push_back({name, std::to_string(versions.size()), std::to_string(versions.back().version),
                    FormatTimeUtc(versions.back().created_ms), fmt::format("{}", fmt::join(aliases, ", "))});
  }
  return FormatTable({"model", "versions", "latest", "updated (UTC)", "aliases"}, rows);
}

std::string FormatModelVersions(const std::vector<track::ModelVersion>& versions) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : versions) {
    std::vector<std::string> tags;
    for (const auto& [k, val] : v.tags) tags.push_back(k + "=" + val);
    rows.push_back({std::to_string(v.version), Short(v.run_id), FormatTimeUtc(v.created_ms),
                    fmt::format("{}", fmt::join(v.aliases, ", ")), Cell(v.description, 40),
                    fmt::format("{}", fmt::join(tags, ", "))});
  }
  std::string out = FormatTable({"version", "run", "created (UTC)", "aliases", "description", "tags"}, rows);
  if (!versions.empty()) out += fmt::format("latest: {}\n", versions.back().path);
  return out;
}

void RegisterTrackingCommands(CLI::App& app, std::function<void(Action)> on_run) {
  auto store_dir = std::make_shared<std::string>();
  auto add_store = [store_dir](CLI::App* cmd) {
    cmd->add_option("--store", *store_dir, "tracking store folder (default: $EMBER_TRACKING_URI, ./ember-runs)");
  };
  auto open = [store_dir] { return track::TrackingStore::Open(track::ResolveStoreLocation(*store_dir)); };

  auto* runs = app.add_subcommand("runs", "list, show, compare, delete and export tracked runs");
  runs->require_subcommand(1);

  auto list_opts = std::make_shared<RunListOptions>();
  auto* list = runs->add_subcommand("list", "runs, newest first, with key params and latest metrics");
  list->add_option("--experiment", list_opts->experiment, "only this experiment");
  list->add_option("--filter", list_opts->filter, "metric condition, e.g. \"metric.auc>0.8\"");
  list->add_option("--tag", list_opts->tag, "only runs with this tag, KEY=VALUE");
  list->add_option("--limit", list_opts->limit, "at most this many runs (0 = all)");
  add_store(list);
  list->callback([=] {
    on_run([=](const GlobalOptions&) {
      const track::TrackingStore store = open();
      std::fputs(FormatRunList(store, store.ListRuns(MakeRunFilter(*list_opts)), *list_opts).c_str(), stdout);
    });
  });

  auto run_id = std::make_shared<std::string>();
  auto* show = runs->add_subcommand("show", "one run: info, lineage, params, metrics, tags");
  show->add_option("run", *run_id, "run id or unique prefix")->required();
  add_store(show);
  show->callback([=] {
    on_run([=](const GlobalOptions&) {
      const track::TrackingStore store = open();
      std::fputs(FormatRunDetails(store, store.GetRun(*run_id)).c_str(), stdout);
    });
  });

  auto run_ids = std::make_shared<std::vector<std::string>>();
  auto* compare = runs->add_subcommand("compare", "params and metrics of runs side by side");
  compare->add_option("runs", *run_ids, "two or more run ids or prefixes")->required()->expected(2, 1000);
  add_store(compare);
  compare->callback([=] {
    on_run([=](const GlobalOptions&) {
      const track::TrackingStore store = open();
      std::vector<track::RunInfo> infos;
      for (const auto& id : *run_ids) infos.push_back(store.GetRun(id));
      std::fputs(FormatRunComparison(store, infos).c_str(), stdout);
    });
  });

  auto* del = runs->add_subcommand("delete", "delete a run, its records and its artifacts");
  del->add_option("run", *run_id, "run id (or unique prefix)")->required();
  add_store(del);
  del->callback([=] {
    on_run([=](const GlobalOptions& g) {
      track::TrackingStore store = open();
      const track::RunInfo r = store.GetRun(*run_id);
      store.DeleteRun(r.run_id);
      if (!g.quiet) std::printf("deleted run %s (%s)\n", r.run_id.c_str(), r.name.c_str());
    });
  });

  struct ExportFlags {
    std::vector<std::string> runs;
    std::string experiment, dir, uri;
  };
  auto ef = std::make_shared<ExportFlags>();
  auto* exp = runs->add_subcommand("export", "write runs in MLflow's file-store layout or push them to an MLflow server");
  exp->add_option("runs", ef->runs, "runs to export (default: all, or all of --experiment)");
  exp->add_option("--experiment", ef->experiment, "only this experiment");
  auto* dir_opt = exp->add_option("--mlflow-dir", ef->dir, "write MLflow's file-store layout (mlruns) here");
  auto* uri_opt = exp->add_option("--mlflow-uri", ef->uri, "push over REST to this MLflow server, http://HOST:PORT");
  dir_opt->excludes(uri_opt);
  add_store(exp);
  exp->callback([=] {
    on_run([=](const GlobalOptions& g) {
      if (ef->dir.empty() && ef->uri.empty()) {
        throw InvalidArgument("ember runs export needs --mlflow-dir DIR or --mlflow-uri URL");
      }
      const track::TrackingStore store = open();
      std::vector<track::RunInfo> selected;
      if (ef->runs.empty()) {
        selected = store.ListRuns({.experiment = ef->experiment});
      } else {
        for (const auto& id : ef->runs) selected.push_back(store.GetRun(id));
      }
      if (!ef->dir.empty()) {
        const size_t n = track::ExportMlflowDir(store, selected, ef->dir);
        if (!g.quiet) std::printf("exported %zu run%s to %s\n", n, n == 1 ? "" : "s", ef->dir.c_str());
      } else {
        const auto pushed = track::PushMlflow(store, selected, ef->uri);
        if (!g.quiet) {
          for (const auto& p : pushed) {
            std::printf("%s -> %s\n", p.ember_run_id.c_str(), p.mlflow_run_id.c_str());
          }
          std::printf("pushed %zu run%s to %s\n", pushed.size(), pushed.size() == 1 ? "" : "s", ef->uri.c_str());
        }
      }
    });
  });

  auto* models = app.add_subcommand("models", "the model registry: register, list, show, alias");
  models->require_subcommand(1);

  struct RegisterFlags {
    std::string run, name, description, alias, path = "model";
  };
  auto rf = std::make_shared<RegisterFlags>();
  auto* reg = models->add_subcommand("register", "register a run's model as the next version of NAME");
  reg->add_option("run", rf->run, "run id or unique prefix")->required();
  reg->add_option("--name", rf->name, "registered model name")->required();
  reg->add_option("--description", rf->description, "free text kept with the version");
  reg->add_option("--alias", rf->alias, "also point this alias (e.g. champion) at the new version");
  reg->add_option("--path", rf->path, "the model's folder inside the run's artifacts")->default_val("model");
  add_store(reg);
  reg->callback([=] {
    on_run([=](const GlobalOptions& g) {
      track::TrackingStore store = open();
      const track::RunInfo r = store.GetRun(rf->run);
      track::ModelVersion v = store.RegisterModel(rf->name, r.run_id, rf->path, rf->description);
      if (!rf->alias.empty()) store.SetAlias(v.name, rf->alias, v.version);
      if (!g.quiet) {
        std::printf("registered models:/%s/%lld%s from run %s\n", v.name.c_str(), static_cast<long long>(v.version),
                    rf->alias.empty() ? "" : (" (@" + rf->alias + ")").c_str(), r.run_id.c_str());
      }
    });
  });

  auto* mlist = models->add_subcommand("list", "registered models with their versions and aliases");
  add_store(mlist);
  mlist->callback([=] {
    on_run([=](const GlobalOptions&) { std::fputs(FormatModelList(open()).c_str(), stdout); });
  });

  auto model_name = std::make_shared<std::string>();
  auto* mshow = models->add_subcommand("show", "the versions of one registered model");
  mshow->add_option("name", *model_name, "registered model name")->required();
  add_store(mshow);
  mshow->callback([=] {
    on_run([=](const GlobalOptions&) {
      std::fputs(FormatModelVersions(open().ListModelVersions(*model_name)).c_str(), stdout);
    });
  });

  struct AliasFlags {
    std::string name, alias;
    int64_t version = 0;
  };
  auto af = std::make_shared<AliasFlags>();
  auto* alias = models->add_subcommand("alias", "point ALIAS of NAME at VERSION (models:/NAME@ALIAS)");
  alias->add_option("name", af->name, "registered model name")->required();
  alias->add_option("alias", af->alias, "alias, e.g. champion")->required();
  alias->add_option("version", af->version, "version number")->required()->check(CLI::PositiveNumber);
  add_store(alias);
  alias->callback([=] {
    on_run([=](const GlobalOptions& g) {
      open().SetAlias(af->name, af->alias, af->version);
      if (!g.quiet) {
        std::printf("models:/%s@%s -> version %lld\n", af->name.c_str(), af->alias.c_str(),
                    static_cast<long long>(af->version));
      }
    });
  });
}

}  // namespace ember::cli
