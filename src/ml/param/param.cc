#include "ml/param/param.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/strings.h"

namespace ember {

namespace {

std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{}", v);
}

}  // namespace

std::string_view ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kInt: return "int";
    case ParamType::kDouble: return "double";
    case ParamType::kBool: return "bool";
    case ParamType::kString: return "string";
    case ParamType::kStringList: return "string list";
    case ParamType::kDoubleList: return "double list";
  }
  return "?";
}

ParamType TypeOfValue(const ParamValue& value) { return static_cast<ParamType>(value.index()); }

std::string FormatParamValue(const ParamValue& value) {
  return std::visit([](const auto& v) -> std::string {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, int64_t>) return std::to_string(v);
    if constexpr (std::is_same_v<T, double>) return FormatDouble(v);
    if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
    if constexpr (std::is_same_v<T, std::string>) return "'" + v + "'";
    if constexpr (std::is_same_v<T, std::vector<std::string>>) return "[" + Join(v) + "]";
    if constexpr (std::is_same_v<T, std::vector<double>>) {
      std::string out = "[";
      for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + FormatDouble(v[i]);
      return out + "]";
    }
  }, value);
}

std::string ParamSpec::ConstraintText() const {
  if (!allowed.empty()) {
    std::string quoted;
    for (size_t i = 0; i < allowed.size(); ++i) quoted += (i ? ", '" : "'") + allowed[i] + "'";
    return "must be one of " + quoted;
  }
  if (min && max) {
    return fmt::format("must be in {}{}, {}{}", min_inclusive ? "[" : "(", FormatDouble(*min), FormatDouble(*max),
                       max_inclusive ? "]" : ")");
  }
  if (min) return fmt::format("must be {} {}", min_inclusive ? ">=" : ">", FormatDouble(*min));
  if (max) return fmt::format("must be {} {}", max_inclusive ? "<=" : "<", FormatDouble(*max));
  return "";
}

ParamTable& ParamTable::Add(ParamSpec spec) {
  EMBER_CHECK(Find(spec.name) == nullptr, "param {} declared twice for {}", spec.name, stage_);
  if (spec.default_value) spec.default_value = Validate(spec, *spec.default_value);  // a bad default is a bug
  specs_.push_back(std::move(spec));
  return *this;
}

ParamTable& ParamTable::Int(std::string name, std::optional<int64_t> def, std::string doc, std::optional<double> min,
                            std::optional<double> max) {
  ParamSpec s{.name = std::move(name), .type = ParamType::kInt, .doc = std::move(doc), .min = min, .max = max};
  if (def) s.default_value = *def;
  return Add(std::move(s));
}

ParamTable& ParamTable::Double(std::string name, std::optional<double> def, std::string doc, std::optional<double> min,
                               std::optional<double> max, bool min_inclusive, bool max_inclusive) {
  ParamSpec s{.name = std::move(name), .type = ParamType::kDouble, .doc = std::move(doc), .min = min,
              .min_inclusive = min_inclusive, .max = max, .max_inclusive = max_inclusive};
  if (def) s.default_value = *def;
  return Add(std::move(s));
}

ParamTable& ParamTable::Bool(std::string name, std::optional<bool> def, std::string doc) {
  ParamSpec s{.name = std::move(name), .type = ParamType::kBool, .doc = std::move(doc)};
  if (def) s.default_value = *def;
  return Add(std::move(s));
}

ParamTable& ParamTable::String(std::string name, std::optional<std::string> def, std::string doc,
                               std::vector<std::string> allowed) {
  ParamSpec s{.name = std::move(name), .type = ParamType::kString, .doc = std::move(doc), .allowed = std::move(allowed)};
  if (def) s.default_value = *def;
  return Add(std::move(s));
}

ParamTable& ParamTable::StringList(std::string name, std::optional<std::vector<std::string>> def, std::string doc) {
  ParamSpec s{.name = std::move(name), .type = ParamType::kStringList, .doc = std::move(doc)};
  if (def) s.default_value = *def;
  return Add(std::move(s));
}

ParamTable& ParamTable::DoubleList(std::string name, std::optional<std::vector<double>> def, std::string doc,
                                   std::optional<double> min, std::optional<double> max) {
  ParamSpec s{.name = std::move(name), .type = ParamType::kDoubleList, .doc = std::move(doc), .min = min, .max = max};
  if (def) s.default_value = *def;
  return Add(std::move(s));
}

const ParamSpec* ParamTable::Find(std::string_view name) const {
  for (const ParamSpec& s : specs_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const ParamSpec& ParamTable::Get(std::string_view name) const {
  if (const ParamSpec* s = Find(name)) return *s;
  std::vector<std::string> names;
  for (const ParamSpec& s : specs_) names.push_back(s.name);
  throw InvalidArgument(fmt::format("unknown param '{}' for {}{} (valid params: {})", name, stage_,
                                    DidYouMean(name, names), Join(names)));
}

ParamValue ParamTable::Validate(const ParamSpec& spec, const ParamValue& value) const {
  auto fail = [&](const std::string& why, const std::string& suggestion = "") -> InvalidArgument {
    return InvalidArgument(
        fmt::format("{}: {} {}, got {}{}", stage_, spec.name, why, FormatParamValue(value), suggestion));
  };
  ParamValue v = value;
  // Widen or narrow numbers the way a YAML author means them.
  if (spec.type == ParamType::kDouble && std::holds_alternative<int64_t>(v)) {
    v = static_cast<double>(std::get<int64_t>(v));
  }
  if (spec.type == ParamType::kInt && std::holds_alternative<double>(v)) {
    const double d = std::get<double>(v);
    if (std::floor(d) != d || std::abs(d) > 9e15) throw fail("must be an integer");
    v = static_cast<int64_t>(d);
  }
  if (spec.type == ParamType::kStringList && std::holds_alternative<std::string>(v)) {
    v = std::vector<std::string>{std::get<std::string>(v)};
  }
  if (spec.type == ParamType::kDoubleList && std::holds_alternative<double>(v)) {
    v = std::vector<double>{std::get<double>(v)};
  }
  if (TypeOfValue(v) != spec.type) throw fail(fmt::format("must be a {}", ParamTypeName(spec.type)));

  auto in_bounds = [&](double x) {
    if (std::isnan(x)) return !spec.min && !spec.max;
    if (spec.min && (spec.min_inclusive ? x < *spec.min : x <= *spec.min)) return false;
    if (spec.max && (spec.max_inclusive ? x > *spec.max : x >= *spec.max)) return false;
    return true;
  };
  switch (spec.type) {
    case ParamType::kInt:
      if (!in_bounds(static_cast<double>(std::get<int64_t>(v)))) throw fail(spec.ConstraintText());
      break;
    case ParamType::kDouble:
      if (!in_bounds(std::get<double>(v))) throw fail(spec.ConstraintText());
      break;
    case ParamType::kDoubleList:
      for (double x : std::get<std::vector<double>>(v)) {
        if (!in_bounds(x)) throw fail("entries " + spec.ConstraintText());
      }
      break;
    case ParamType::kString:
      if (!spec.allowed.empty()) {
        const std::string& s = std::get<std::string>(v);
        bool ok = false;
        for (const std::string& a : spec.allowed) ok |= a == s;
        if (!ok) throw fail(spec.ConstraintText(), DidYouMean(s, spec.allowed));
      }
      break;
    default:
      break;
  }
  return v;
}

std::string ParamTable::Describe() const {
  std::string out = stage_ + "\n";
  for (const ParamSpec& s : specs_) {
    const std::string def = s.default_value ? FormatParamValue(*s.default_value) : "(required)";
    const std::string constraint = s.ConstraintText();
    out += fmt::format("  {:<24} {:<12} default {:<14} {}{}\n", s.name, ParamTypeName(s.type), def, s.doc,
                       constraint.empty() ? "" : " (" + constraint + ")");
  }
  return out;
}

void ParamMap::Set(std::string_view name, const ParamValue& value) {
  const ParamSpec& spec = table_->Get(name);
  values_[spec.name] = table_->Validate(spec, value);
}

bool ParamMap::HasValue(std::string_view name) const {
  return IsSet(name) || table_->Get(name).default_value.has_value();
}

const ParamValue& ParamMap::Value(std::string_view name) const {
  const ParamSpec& spec = table_->Get(name);
  auto it = values_.find(spec.name);
  if (it != values_.end()) return it->second;
  if (spec.default_value) return *spec.default_value;
  throw InvalidArgument(fmt::format("{}: param '{}' must be set ({})", table_->stage_name(), spec.name, spec.doc));
}

ParamMap ParamMap::Copy(const std::map<std::string, ParamValue>& overrides) const {
  ParamMap copy = *this;
  for (const auto& [name, value] : overrides) copy.Set(name, value);
  return copy;
}

nlohmann::json ParamValueToJson(const ParamValue& value) {
  return std::visit([](const auto& v) -> nlohmann::json {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, double>) {
      return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(FormatDouble(v));
    } else if constexpr (std::is_same_v<T, std::vector<double>>) {
      nlohmann::json a = nlohmann::json::array();
      for (double x : v) a.push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(FormatDouble(x)));
      return a;
    } else {
      return nlohmann::json(v);
    }
  }, value);
}

namespace {

std::optional<double> NonFinite(const nlohmann::json& j) {
  if (!j.is_string()) return std::nullopt;
  const std::string& s = j.get_ref<const std::string&>();
  if (s == "NaN" || s == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (s == "Infinity" || s == "inf") return std::numeric_limits<double>::infinity();
  if (s == "-Infinity" || s == "-inf") return -std::numeric_limits<double>::infinity();
  return std::nullopt;
}

}  // namespace

ParamValue ParamValueFromJson(const ParamTable& table, const ParamSpec& spec, const nlohmann::json& j) {
  auto fail = [&]() -> InvalidArgument {
    return InvalidArgument(fmt::format("{}: {} must be a {}, got {}", table.stage_name(), spec.name,
                                       ParamTypeName(spec.type), j.dump()));
  };
  switch (spec.type) {
    case ParamType::kInt:
      if (j.is_number_integer()) return j.get<int64_t>();
      if (j.is_number_float()) return j.get<double>();  // Validate checks it is integral
      throw fail();
    case ParamType::kDouble:
      if (j.is_number()) return j.get<double>();
      if (auto d = NonFinite(j)) return *d;
      throw fail();
    case ParamType::kBool:
      if (j.is_boolean()) return j.get<bool>();
      throw fail();
    case ParamType::kString:
      if (j.is_string()) return j.get<std::string>();
      throw fail();
    case ParamType::kStringList: {
      if (j.is_string()) return j.get<std::string>();
      if (!j.is_array()) throw fail();
      std::vector<std::string> out;
      for (const auto& e : j) {
        if (!e.is_string()) throw fail();
        out.push_back(e.get<std::string>());
      }
      return out;
    }
    case ParamType::kDoubleList: {
      if (!j.is_array()) throw fail();
      std::vector<double> out;
      for (const auto& e : j) {
        if (e.is_number()) {
          out.push_back(e.get<double>());
        } else if (auto d = NonFinite(e)) {
          out.push_back(*d);
        } else {
          throw fail();
        }
      }
      return out;
    }
  }
  throw fail();
}

void ParamMap::SetFromJson(const nlohmann::json& object) {
  if (!object.is_object()) {
    throw InvalidArgument(fmt::format("{}: params must be a mapping of name: value", table_->stage_name()));
  }
  for (const auto& [name, value] : object.items()) {
    const ParamSpec& spec = table_->Get(name);
    Set(name, ParamValueFromJson(*table_, spec, value));
  }
}

nlohmann::json ParamMap::ExplicitToJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : values_) out[name] = ParamValueToJson(value);
  return out;
}

nlohmann::json ParamMap::AllToJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const ParamSpec& s : table_->specs()) {
    if (HasValue(s.name)) out[s.name] = ParamValueToJson(Value(s.name));
  }
  return out;
}

}  // namespace ember
