// The run spec: one YAML file that declares a whole job (data, label,
// pipeline, evaluation, tracking, registration). LoadSpec reads it, applies
// ${VAR} substitution and --set overrides, and checks every key and value
// before any data is read; each error names the YAML file and line.
//
//   name: churn-gbt                    # optional run name
//   seed: 42                           # optional; the CLI's --seed otherwise
//   data:
//     train: data/churn.csv            # CSV, .csv.gz, .ember, LibSVM (relative to the spec)
//     test: data/churn_test.csv        # optional; else a seeded split:
//     split: {test: 0.2, seed: 7, stratify: true}   # or {test_rows: FILE}
//     schema: {TotalCharges: float64}  # optional column types
//     null_values: ["", "NA"]          # optional null tokens
//   label: Churn                       # or {column: Churn, positive: "Yes"}
//   weight: w                          # optional weight column
//   pipeline:
//     - stage: StringIndexer
//       inputCols: [gender]
//       outputCols: [gender_idx]
//     - stage: GBTClassifier
//       maxDepth: 5
//   evaluate: {metrics: [areaUnderROC, areaUnderPR]}
//   tracking: {experiment: churn, store: ./ember-runs}
//   register: {name: churn-model, alias: champion}
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ember::runner {

/// Where a value came from, for error messages: "spec.yaml:12" or "--set pipeline.1.maxDepth".
struct SpecLocation {
  std::string file;
  int line = 0;  // 1-based; 0 when the value came from an override

  std::string ToString() const;
};

struct DataSpec {
  std::string train;                 // absolute or relative to the working directory
  std::string test;                  // empty: split train
  double test_fraction = 0.2;        // when test is empty
  std::optional<uint64_t> split_seed;  // default: the run's seed
  bool stratify = false;
  /// A file of 0-based data-row indices (one per line) that form the test
  /// set: a fixed split shared with other tools. Empty: a seeded split.
  std::string test_rows;
  std::map<std::string, std::string> column_types;  // column -> type name (DataType::Parse)
  std::vector<std::string> null_values = {""};
  SpecLocation location;
};

struct LabelSpec {
  std::string column;
  std::string positive;  // for string labels of a binary task; empty otherwise
  SpecLocation location;
};

struct StageSpec {
  std::string stage;         // Spark class name
  nlohmann::json params;     // JSON object of param name -> value
  SpecLocation location;     // the "- stage:" line
  std::map<std::string, SpecLocation> param_locations;
};

struct TrackingSpec {
  std::string experiment = "Default";
  std::string store;  // empty: --store, $EMBER_TRACKING_URI, ./ember-runs
};

struct RegisterSpec {
  std::string name;  // empty: do not register
  std::string alias;
  std::string description;
};

struct RunSpec {
  std::string path;          // the spec file as given
  std::string name;          // run name; default: the spec's file stem
  std::optional<uint64_t> seed;
  DataSpec data;
  LabelSpec label;
  std::string weight;
  std::vector<StageSpec> pipeline;
  std::vector<std::string> metrics;  // empty: the defaults of the task
  TrackingSpec tracking;
  RegisterSpec register_model;
  /// The spec after substitution and overrides, as canonical JSON; its
  /// hash is recorded in the run's lineage.
  std::string canonical;
};

/// Reads and checks the spec at `path` (see the file comment). `overrides`
/// are "dotted.key=value" strings (value parsed as YAML); `env` looks up
/// ${VAR} (nullptr: the process environment). Relative data paths are
/// resolved against the spec's folder. Throws ParseError for malformed YAML
/// or an unknown key, InvalidArgument for a bad value, each with file:line.
RunSpec LoadSpec(const std::string& path, const std::vector<std::string>& overrides);

/// As LoadSpec, from text; `name` stands for the file in messages and `base_dir` anchors relative paths.
RunSpec ParseSpec(const std::string& text, const std::string& name, const std::string& base_dir,
                  const std::vector<std::string>& overrides);

}  // namespace ember::runner
