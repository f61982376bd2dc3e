// Schema: the ordered, uniquely named fields of a DataFrame.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frame/data_type.h"

namespace ember {

/// One column's name, type and free-form metadata (for example the labels
/// a StringIndexer assigned, which later stages read).
struct Field {
  std::string name;
  DataType type;
  std::map<std::string, std::string> metadata;

  friend bool operator==(const Field&, const Field&) = default;
};

class Schema {
 public:
  Schema() = default;
  /// Throws SchemaError naming a duplicated or empty column name.
  static Schema Make(std::vector<Field> fields);

  size_t size() const { return fields_.size(); }
  const Field& field(size_t i) const { return fields_[i]; }
  const std::vector<Field>& fields() const { return fields_; }
  std::vector<std::string> names() const;

  std::optional<size_t> Find(std::string_view name) const;
  /// Index of `name`; throws SchemaError "no column 'x'; did you mean 'y'?
  /// (columns: ...)" when absent.
  size_t IndexOf(std::string_view name) const;
  bool Contains(std::string_view name) const { return Find(name).has_value(); }

  /// "name: type, name: type, ..."
  std::string ToString() const;

  friend bool operator==(const Schema&, const Schema&) = default;

 private:
  std::vector<Field> fields_;
};

}  // namespace ember
