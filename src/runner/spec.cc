#include "runner/spec.h"

#include <filesystem>

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/strings.h"
#include "ml/builtin/builtin_stages.h"
#include "ml/param/param.h"
#include "runner/metrics.h"
#include "runner/spec_tree.h"

namespace ember::runner {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

/// Rejects keys of `object` outside `allowed`, suggesting the closest one.
void CheckKeys(const SpecTree& tree, const std::string& pointer, const std::vector<std::string>& allowed,
               std::string_view section) {
  const json& object = tree.root.at(json::json_pointer(pointer));
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      tree.Fail(pointer + "/" + key, fmt::format("unknown key '{}' in {}{} (valid keys: {})", key, section,
                                                 DidYouMean(key, allowed), Join(allowed)));
    }
  }
}

const json& At(const SpecTree& tree, const std::string& pointer) { return tree.root.at(json::json_pointer(pointer)); }
bool Has(const SpecTree& tree, const std::string& pointer) { return tree.root.contains(json::json_pointer(pointer)); }

std::string GetString(const SpecTree& tree, const std::string& pointer, std::string_view what) {
  const json& v = At(tree, pointer);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  tree.Fail(pointer, fmt::format("{} must be a string", what));
}

std::string GetNonEmptyString(const SpecTree& tree, const std::string& pointer, std::string_view what) {
  std::string s = GetString(tree, pointer, what);
  if (s.empty()) tree.Fail(pointer, fmt::format("{} must not be empty", what));
  return s;
}

double GetFraction(const SpecTree& tree, const std::string& pointer, std::string_view what) {
  const json& v = At(tree, pointer);
  if (!v.is_number() || !(v.get<double>() > 0.0 && v.get<double>() < 1.0)) {
    tree.Fail(pointer, fmt::format("{} must be a number between 0 and 1 (exclusive), got {}", what, v.dump()));
  }
  return v.get<double>();
}

uint64_t GetSeed(const SpecTree& tree, const std::string& pointer) {
  const json& v = At(tree, pointer);
  if (!v.is_number_integer() || v.get<int64_t>() < 0) {
    tree.Fail(pointer, fmt::format("seed must be a non-negative integer, got {}", v.dump()));
  }
  return v.get<uint64_t>();
}

bool GetBool(const SpecTree& tree, const std::string& pointer, std::string_view what) {
  const json& v = At(tree, pointer);
  if (!v.is_boolean()) tree.Fail(pointer, fmt::format("{} must be true or false, got {}", what, v.dump()));
  return v.get<bool>();
}

std::vector<std::string> GetStringList(const SpecTree& tree, const std::string& pointer, std::string_view what) {
  const json& v = At(tree, pointer);
  if (v.is_string()) return {v.get<std::string>()};
  if (!v.is_array()) tree.Fail(pointer, fmt::format("{} must be a list of strings", what));
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(GetString(tree, pointer + "/" + std::to_string(i), what));
  return out;
}

SpecLocation LocationOf(const SpecTree& tree, const std::string& pointer) {
  const SpecPosition pos = tree.PositionOf(pointer);
  if (!pos.override_text.empty()) return {"--set " + pos.override_text, 0};
  return {tree.file, pos.line};
}

std::string ResolvePath(const std::string& base_dir, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute() || base_dir.empty()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

DataSpec ReadData(const SpecTree& tree, const std::string& base_dir) {
  if (!Has(tree, "/data")) tree.Fail("", "the spec needs a 'data:' section with at least 'train: PATH'");
  if (!At(tree, "/data").is_object()) tree.Fail("/data", "'data' must be a mapping with 'train: PATH'");
  CheckKeys(tree, "/data", {"train", "test", "split", "schema", "null_values"}, "data");
  DataSpec data;
  data.location = LocationOf(tree, "/data");
  if (!Has(tree, "/data/train")) tree.Fail("/data", "'data' needs 'train: PATH' (CSV, .csv.gz, .ember or LibSVM)");
  data.train = ResolvePath(base_dir, GetNonEmptyString(tree, "/data/train", "data.train"));
  if (Has(tree, "/data/test")) data.test = ResolvePath(base_dir, GetNonEmptyString(tree, "/data/test", "data.test"));
  if (Has(tree, "/data/split")) {
    if (!data.test.empty()) tree.Fail("/data/split", "give either data.test or data.split, not both");
    if (!At(tree, "/data/split").is_object()) tree.Fail("/data/split", "data.split must be a mapping: {test: 0.2}");
    CheckKeys(tree, "/data/split", {"test", "seed", "stratify", "test_rows"}, "data.split");
    if (Has(tree, "/data/split/test_rows")) {
      if (Has(tree, "/data/split/test") || Has(tree, "/data/split/stratify")) {
        tree.Fail("/data/split/test_rows", "data.split.test_rows fixes the split; drop test and stratify");
      }
      data.test_rows = ResolvePath(base_dir, GetNonEmptyString(tree, "/data/split/test_rows", "data.split.test_rows"));
    }
    if (Has(tree, "/data/split/test")) data.test_fraction = GetFraction(tree, "/data/split/test", "data.split.test");
    if (Has(tree, "/data/split/seed")) data.split_seed = GetSeed(tree, "/data/split/seed");
    if (Has(tree, "/data/split/stratify")) data.stratify = GetBool(tree, "/data/split/stratify", "data.split.stratify");
  }
  if (Has(tree, "/data/schema")) {
    const json& schema = At(tree, "/data/schema");
    if (!schema.is_object()) tree.Fail("/data/schema", "data.schema must map column names to types");
    for (const auto& [column, type] : schema.items()) {
      const std::string pointer = "/data/schema/" + column;
      const std::string name = GetString(tree, pointer, "a column type");
      try {
        (void)DataType::Parse(name);
      } catch (const Error& e) {
        tree.Fail(pointer, e.what());
      }
      data.column_types[column] = name;
    }
  }
  if (Has(tree, "/data/null_values")) data.null_values = GetStringList(tree, "/data/null_values", "data.null_values");
  return data;
}

LabelSpec ReadLabel(const SpecTree& tree) {
  if (!Has(tree, "/label")) tree.Fail("", "the spec needs 'label: COLUMN'");
  LabelSpec label;
  label.location = LocationOf(tree, "/label");
  if (At(tree, "/label").is_object()) {
    CheckKeys(tree, "/label", {"column", "positive"}, "label");
    if (!Has(tree, "/label/column")) tree.Fail("/label", "label needs 'column: NAME'");
    label.column = GetNonEmptyString(tree, "/label/column", "label.column");
    if (Has(tree, "/label/positive")) label.positive = GetNonEmptyString(tree, "/label/positive", "label.positive");
  } else {
    label.column = GetNonEmptyString(tree, "/label", "label");
  }
  return label;
}

/// Checks each stage's name and each param against the registry's declared
/// params, one at a time, so the error points at the offending line.
std::vector<StageSpec> ReadPipeline(const SpecTree& tree) {
  if (!Has(tree, "/pipeline")) tree.Fail("", "the spec needs a 'pipeline:' list of stages");
  const json& list = At(tree, "/pipeline");
  if (!list.is_array() || list.empty()) {
    tree.Fail("/pipeline", "'pipeline' must be a non-empty list of stages, each '- stage: Name' plus its params");
  }
  const StageRegistry& registry = BuiltinStages();
  std::vector<StageSpec> stages;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string pointer = "/pipeline/" + std::to_string(i);
    if (!list[i].is_object() || !list[i].contains("stage")) {
      tree.Fail(pointer, "each pipeline item is a mapping with 'stage: Name' and the stage's params");
    }
    StageSpec stage;
    stage.stage = GetNonEmptyString(tree, pointer + "/stage", "stage");
    stage.location = LocationOf(tree, pointer);
    const StageType* type = registry.Find(stage.stage);
    if (type == nullptr) {
      const std::vector<std::string> names = registry.names();
      tree.Fail(pointer + "/stage",
                fmt::format("unknown stage '{}'{}", stage.stage, DidYouMean(stage.stage, names)));
    }
    if (!type->make) {
      tree.Fail(pointer + "/stage", fmt::format("'{}' is a fitted model; name its estimator instead", stage.stage));
    }
    stage.params = json::object();
    for (const auto& [key, value] : list[i].items()) {
      if (key == "stage") continue;
      const std::string param_pointer = pointer + "/" + key;
      try {
        ParamMap probe(*type->params);
        probe.SetFromJson(json{{key, value}});
      } catch (const Error& e) {
        tree.Fail(param_pointer, e.what());
      }
      stage.params[key] = value;
      stage.param_locations[key] = LocationOf(tree, param_pointer);
    }
    stages.push_back(std::move(stage));
  }
  return stages;
}

std::vector<std::string> ReadMetrics(const SpecTree& tree) {
  if (!Has(tree, "/evaluate")) return {};
  if (!At(tree, "/evaluate").is_object()) tree.Fail("/evaluate", "'evaluate' must be a mapping: {metrics: [...]}");
  CheckKeys(tree, "/evaluate", {"metrics"}, "evaluate");
  if (!Has(tree, "/evaluate/metrics")) return {};
  std::vector<std::string> metrics = GetStringList(tree, "/evaluate/metrics", "evaluate.metrics");
  const std::vector<std::string> known = KnownMetricNames();
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (std::find(known.begin(), known.end(), metrics[i]) == known.end()) {
      tree.Fail("/evaluate/metrics/" + std::to_string(i),
                fmt::format("unknown metric '{}'{} (valid metrics: {})", metrics[i], DidYouMean(metrics[i], known),
                            Join(known)));
    }
  }
  return metrics;
}

}  // namespace

std::string SpecLocation::ToString() const { return line > 0 ? fmt::format("{}:{}", file, line) : file; }

RunSpec ParseSpec(const std::string& text, const std::string& name, const std::string& base_dir,
                  const std::vector<std::string>& overrides) {
  SpecTree tree = ParseYamlTree(SubstituteEnvironment(text, name), name);
  for (const std::string& assignment : overrides) ApplyOverride(tree, assignment);
  CheckKeys(tree, "", {"name", "seed", "data", "label", "weight", "pipeline", "evaluate", "tracking", "register"},
            "the spec");

  RunSpec spec;
  spec.path = name;
  spec.name = Has(tree, "/name") ? GetNonEmptyString(tree, "/name", "name") : fs::path(name).stem().string();
  if (Has(tree, "/seed")) spec.seed = GetSeed(tree, "/seed");
  spec.data = ReadData(tree, base_dir);
  spec.label = ReadLabel(tree);
  if (Has(tree, "/weight")) spec.weight = GetNonEmptyString(tree, "/weight", "weight");
  spec.pipeline = ReadPipeline(tree);
  spec.metrics = ReadMetrics(tree);
  if (Has(tree, "/tracking")) {
    if (!At(tree, "/tracking").is_object()) tree.Fail("/tracking", "'tracking' must be a mapping");
    CheckKeys(tree, "/tracking", {"experiment", "store"}, "tracking");
    if (Has(tree, "/tracking/experiment")) {
      spec.tracking.experiment = GetNonEmptyString(tree, "/tracking/experiment", "tracking.experiment");
    }
    if (Has(tree, "/tracking/store")) {
      spec.tracking.store = ResolvePath(base_dir, GetNonEmptyString(tree, "/tracking/store", "tracking.store"));
    }
  }
  if (Has(tree, "/register")) {
    if (!At(tree, "/register").is_object()) tree.Fail("/register", "'register' must be a mapping: {name: NAME}");
    CheckKeys(tree, "/register", {"name", "alias", "description"}, "register");
    if (!Has(tree, "/register/name")) tree.Fail("/register", "register needs 'name: MODEL_NAME'");
    spec.register_model.name = GetNonEmptyString(tree, "/register/name", "register.name");
    if (Has(tree, "/register/alias")) spec.register_model.alias = GetNonEmptyString(tree, "/register/alias", "register.alias");
    if (Has(tree, "/register/description")) {
      spec.register_model.description = GetString(tree, "/register/description", "register.description");
    }
  }
  spec.canonical = tree.root.dump(2);
  return spec;
}

RunSpec LoadSpec(const std::string& path, const std::vector<std::string>& overrides) {
  if (!fs::exists(path)) throw NotFound(fmt::format("spec file '{}' does not exist", path));
  const std::string base_dir = fs::path(path).parent_path().string();
  return ParseSpec(ReadFileToString(path), path, base_dir, overrides);
}

}  // namespace ember::runner
