#include "frame/schema.h"

#include <unordered_map>

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"

namespace ember {

Schema Schema::Make(std::vector<Field> fields) {
  std::unordered_map<std::string_view, size_t> seen;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name.empty()) throw SchemaError(fmt::format("column {} has an empty name", i + 1));
    auto [it, inserted] = seen.emplace(fields[i].name, i);
    if (!inserted) {
      throw SchemaError(fmt::format("duplicate column name '{}' (columns {} and {}); column names must be unique",
                                    fields[i].name, it->second + 1, i + 1));
    }
  }
  Schema s;
  s.fields_ = std::move(fields);
  return s;
}

std::vector<std::string> Schema::names() const {
  std::vector<std::string> out;
  out.reserve(fields_.size());
  for (const Field& f : fields_) out.push_back(f.name);
  return out;
}

std::optional<size_t> Schema::Find(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return i;
  }
  return std::nullopt;
}

size_t Schema::IndexOf(std::string_view name) const {
  if (auto i = Find(name)) return *i;
  const std::vector<std::string> all = names();
  std::string listing = all.size() <= 12 ? Join(all) : Join(std::span(all).first(12)) + ", ...";
  throw SchemaError(fmt::format("no column '{}'{} (columns: {})", name, DidYouMean(name, all), listing));
}

std::string Schema::ToString() const {
  std::string out;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) out += ", ";
    out += fields_[i].name + ": " + fields_[i].type.ToString();
  }
  return out;
}

}  // namespace ember
