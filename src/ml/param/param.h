// Params: every stage declares each of its params once, in a ParamTable
// (Spark's camelCase name, type, default, bounds or allowed values, one-line
// doc). Setting from YAML/JSON, validation, unknown-name suggestions, copy
// with overrides, save/load and `ember describe STAGE` all read that table.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace ember {

enum class ParamType { kInt, kDouble, kBool, kString, kStringList, kDoubleList };

/// "int", "double", "bool", "string", "string list", "double list".
std::string_view ParamTypeName(ParamType type);

using ParamValue = std::variant<int64_t, double, bool, std::string, std::vector<std::string>, std::vector<double>>;

/// The type a ParamValue holds.
ParamType TypeOfValue(const ParamValue& value);
/// Human form of a value: 5, 0.1, true, 'gini', [a, b], [0.5, NaN].
std::string FormatParamValue(const ParamValue& value);

/// One declared param.
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kDouble;
  std::optional<ParamValue> default_value;  // nullopt: the user must set it (e.g. inputCol)
  std::string doc;
  // Bounds for int/double params (and each element of a double list).
  std::optional<double> min;
  bool min_inclusive = true;
  std::optional<double> max;
  bool max_inclusive = true;
  // Allowed values for string params (empty = any string).
  std::vector<std::string> allowed;

  /// "must be >= 0", "must be in (0, 1]", "must be one of 'gini', 'entropy'".
  std::string ConstraintText() const;
};

/// The declared params of one stage type; built once, read-only afterwards.
class ParamTable {
 public:
  explicit ParamTable(std::string stage_name) : stage_(std::move(stage_name)) {}

  // Builder calls, chained in a stage's Params() definition.
  ParamTable& Int(std::string name, std::optional<int64_t> def, std::string doc, std::optional<double> min = {},
                  std::optional<double> max = {});
  ParamTable& Double(std::string name, std::optional<double> def, std::string doc, std::optional<double> min = {},
                     std::optional<double> max = {}, bool min_inclusive = true, bool max_inclusive = true);
  ParamTable& Bool(std::string name, std::optional<bool> def, std::string doc);
  ParamTable& String(std::string name, std::optional<std::string> def, std::string doc,
                     std::vector<std::string> allowed = {});
  ParamTable& StringList(std::string name, std::optional<std::vector<std::string>> def, std::string doc);
  ParamTable& DoubleList(std::string name, std::optional<std::vector<double>> def, std::string doc,
                         std::optional<double> min = {}, std::optional<double> max = {});

  const std::string& stage_name() const { return stage_; }
  const std::vector<ParamSpec>& specs() const { return specs_; }
  const ParamSpec* Find(std::string_view name) const;
  /// Throws InvalidArgument "unknown param 'maxDept' for GBTClassifier; did
  /// you mean 'maxDepth'?" when absent.
  const ParamSpec& Get(std::string_view name) const;

  /// Checks type and bounds and returns the value converted to the declared
  /// type (an integral double for an int param, an int for a double param,
  /// a single string for a string list). Throws InvalidArgument naming the
  /// stage, the param, the value and what is valid.
  ParamValue Validate(const ParamSpec& spec, const ParamValue& value) const;

  /// Every param with type, default and doc (what `ember describe STAGE` prints).
  std::string Describe() const;

 private:
  ParamTable& Add(ParamSpec spec);
  std::string stage_;
  std::vector<ParamSpec> specs_;
};

/// The param values of one stage instance: explicit values over the table's
/// defaults. Copyable; a stage holds its Params by value.
class ParamMap {
 public:
  explicit ParamMap(const ParamTable& table) : table_(&table) {}

  const ParamTable& table() const { return *table_; }

  /// Validates and sets a value explicitly.
  void Set(std::string_view name, const ParamValue& value);
  /// Sets every key of a JSON object (numbers, bools, strings, arrays;
  /// "NaN"/"Infinity"/"-Infinity" strings for non-finite doubles).
  void SetFromJson(const nlohmann::json& object);

  bool IsSet(std::string_view name) const { return values_.count(std::string(name)) > 0; }
  bool HasValue(std::string_view name) const;
  /// The explicit value, else the default; throws InvalidArgument "Stage:
  /// param 'inputCol' must be set" when neither exists.
  const ParamValue& Value(std::string_view name) const;

  int64_t GetInt(std::string_view name) const { return std::get<int64_t>(Value(name)); }
  double GetDouble(std::string_view name) const { return std::get<double>(Value(name)); }
  bool GetBool(std::string_view name) const { return std::get<bool>(Value(name)); }
  const std::string& GetString(std::string_view name) const { return std::get<std::string>(Value(name)); }
  const std::vector<std::string>& GetStringList(std::string_view name) const {
    return std::get<std::vector<std::string>>(Value(name));
  }
  const std::vector<double>& GetDoubleList(std::string_view name) const {
    return std::get<std::vector<double>>(Value(name));
  }

  /// A copy with `overrides` applied on top (what tuning uses).
  ParamMap Copy(const std::map<std::string, ParamValue>& overrides) const;

  /// {"name": value} of the explicit values only (defaults come from the
  /// table of the loading build, as Spark's paramMap / defaultParamMap split).
  nlohmann::json ExplicitToJson() const;
  /// Every param that has a value, explicit or default.
  nlohmann::json AllToJson() const;

  const std::map<std::string, ParamValue>& explicit_values() const { return values_; }

 private:
  const ParamTable* table_;
  std::map<std::string, ParamValue> values_;
};

/// JSON form of one value; non-finite doubles become "NaN", "Infinity", "-Infinity".
nlohmann::json ParamValueToJson(const ParamValue& value);
/// Reads a JSON value for `spec` (then validated by the table).
ParamValue ParamValueFromJson(const ParamTable& table, const ParamSpec& spec, const nlohmann::json& value);

}  // namespace ember
