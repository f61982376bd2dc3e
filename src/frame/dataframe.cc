#include "frame/dataframe.h"

#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "core/random.h"

namespace ember {

DataFrame DataFrame::Make(Schema schema, std::vector<ColumnPtr> columns) {
  if (schema.size() != columns.size()) {
    throw SchemaError(fmt::format("schema has {} fields but {} columns were given", schema.size(), columns.size()));
  }
  const size_t rows = columns.empty() ? 0 : columns[0]->length();
  for (size_t i = 0; i < columns.size(); ++i) {
    const Field& f = schema.field(i);
    if (!(columns[i]->type().id == f.type.id && columns[i]->type().dim == f.type.dim)) {
      throw SchemaError(fmt::format("column '{}' is declared {} but holds {}", f.name, f.type.ToString(),
                                    columns[i]->type().ToString()));
    }
    if (columns[i]->length() != rows) {
      throw SchemaError(fmt::format("column '{}' has {} rows but column '{}' has {}", f.name, columns[i]->length(),
                                    schema.field(0).name, rows));
    }
  }
  return DataFrame(std::move(schema), std::move(columns), rows);
}

DataFrame DataFrame::Make(const std::vector<std::string>& names, std::vector<ColumnPtr> columns) {
  if (names.size() != columns.size()) {
    throw SchemaError(fmt::format("{} names for {} columns", names.size(), columns.size()));
  }
  std::vector<Field> fields;
  for (size_t i = 0; i < names.size(); ++i) fields.push_back({names[i], columns[i]->type(), {}});
  return Make(Schema::Make(std::move(fields)), std::move(columns));
}

DataFrame DataFrame::Select(std::span<const std::string> names) const {
  std::vector<Field> fields;
  std::vector<ColumnPtr> cols;
  for (const std::string& n : names) {
    const size_t i = schema_.IndexOf(n);
    fields.push_back(schema_.field(i));
    cols.push_back(columns_[i]);
  }
  return DataFrame(Schema::Make(std::move(fields)), std::move(cols), names.empty() ? 0 : num_rows_);
}

DataFrame DataFrame::WithField(Field field, ColumnPtr column) const {
  if (!columns_.empty() && column->length() != num_rows_) {
    throw SchemaError(fmt::format("new column '{}' has {} rows, the frame has {}", field.name, column->length(),
                                  num_rows_));
  }
  field.type = column->type();
  std::vector<Field> fields = schema_.fields();
  std::vector<ColumnPtr> cols = columns_;
  if (auto i = schema_.Find(field.name)) {
    fields[*i] = std::move(field);
    cols[*i] = std::move(column);
  } else {
    fields.push_back(std::move(field));
    cols.push_back(std::move(column));
  }
  const size_t rows = cols[0]->length();
  return DataFrame(Schema::Make(std::move(fields)), std::move(cols), rows);
}

DataFrame DataFrame::WithColumn(const std::string& name, ColumnPtr column) const {
  Field field{name, column->type(), {}};  // read the type before the pointer is moved
  return WithField(std::move(field), std::move(column));
}

DataFrame DataFrame::Drop(std::span<const std::string> names) const {
  std::vector<bool> dropped(columns_.size(), false);
  for (const std::string& n : names) dropped[schema_.IndexOf(n)] = true;
  std::vector<Field> fields;
  std::vector<ColumnPtr> cols;
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (dropped[i]) continue;
    fields.push_back(schema_.field(i));
    cols.push_back(columns_[i]);
  }
  return DataFrame(Schema::Make(std::move(fields)), std::move(cols), cols.empty() ? 0 : num_rows_);
}

DataFrame DataFrame::Rename(std::string_view from, const std::string& to) const {
  std::vector<Field> fields = schema_.fields();
  fields[schema_.IndexOf(from)].name = to;
  return DataFrame(Schema::Make(std::move(fields)), columns_, num_rows_);
}

DataFrame DataFrame::Slice(size_t offset, size_t length) const {
  offset = std::min(offset, num_rows_);
  length = std::min(length, num_rows_ - offset);
  std::vector<ColumnPtr> cols;
  for (const ColumnPtr& c : columns_) cols.push_back(c->Slice(offset, length));
  return DataFrame(schema_, std::move(cols), length);
}

DataFrame DataFrame::Take(std::span<const int64_t> indices) const {
  std::vector<ColumnPtr> cols;
  for (const ColumnPtr& c : columns_) cols.push_back(c->Take(indices));
  return DataFrame(schema_, std::move(cols), indices.size());
}

DataFrame DataFrame::Filter(const Column& mask) const {
  if (mask.type().id != TypeId::kBool) {
    throw SchemaError(fmt::format("filter mask must be a bool column, got {}", mask.type().ToString()));
  }
  if (mask.length() != num_rows_) {
    throw SchemaError(fmt::format("filter mask has {} rows, the frame has {}", mask.length(), num_rows_));
  }
  const auto m = mask.values<uint8_t>();
  std::vector<int64_t> keep;
  for (size_t i = 0; i < m.size(); ++i) {
    if (m[i] != 0 && mask.IsValid(i)) keep.push_back(static_cast<int64_t>(i));
  }
  return Take(keep);
}

DataFrame DataFrame::Concat(std::span<const DataFrame> frames) {
  if (frames.empty()) return DataFrame();
  const Schema& schema = frames[0].schema();
  size_t rows = 0;
  for (const DataFrame& f : frames) {
    if (!(f.schema() == schema)) {
      throw SchemaError(fmt::format("cannot concatenate frames with different schemas: ({}) and ({})",
                                    schema.ToString(), f.schema().ToString()));
    }
    rows += f.num_rows();
  }
  std::vector<ColumnPtr> cols;
  for (size_t c = 0; c < schema.size(); ++c) {
    std::vector<ColumnPtr> parts;
    for (const DataFrame& f : frames) parts.push_back(f.column(c));
    cols.push_back(Column::Concat(parts));
  }
  return DataFrame(schema, std::move(cols), rows);
}

std::vector<DataFrame> DataFrame::RandomSplit(std::span<const double> fractions, uint64_t seed) const {
  if (fractions.empty()) throw InvalidArgument("random split needs at least one fraction");
  double total = 0;
  for (double f : fractions) {
    if (!(f >= 0) || !std::isfinite(f)) {
      throw InvalidArgument(fmt::format("split fractions must be finite and >= 0, got {}", f));
    }
    total += f;
  }
  if (!(total > 0)) throw InvalidArgument("split fractions must not all be zero");
  std::vector<double> bounds;
  double cumulative = 0;
  for (double f : fractions) bounds.push_back(cumulative += f / total);
  bounds.back() = 1.0;
  std::vector<std::vector<int64_t>> rows(fractions.size());
  for (size_t i = 0; i < num_rows_; ++i) {
    const double u = UniformAt(seed, i);
    size_t k = 0;
    while (u >= bounds[k]) ++k;
    rows[k].push_back(static_cast<int64_t>(i));
  }
  std::vector<DataFrame> out;
  for (const auto& r : rows) out.push_back(Take(r));
  return out;
}

size_t DataFrame::ByteSize() const {
  size_t total = 0;
  for (const ColumnPtr& c : columns_) total += c->ByteSize();
  return total;
}

}  // namespace ember
