#include "runner/label.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/error.h"

namespace ember::runner {
namespace {

std::string FormatNumber(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{}", v);
}

void RequireValid(const Column& column, const std::string& name, size_t row) {
  if (column.IsNull(row)) {
    throw InvalidArgument(fmt::format("label column '{}' is null at row {}; drop or impute such rows first", name,
                                      row + 1));
  }
}

}  // namespace

LabelEncoding LearnLabelEncoding(const DataFrame& train, const LabelSpec& label, bool classification) {
  const Column& column = *train.column(label.column);
  LabelEncoding encoding;
  encoding.column = label.column;
  encoding.positive = label.positive;
  encoding.from_strings = column.type().id == TypeId::kString;
  if (encoding.from_strings) {
    if (!classification) {
      throw InvalidArgument(fmt::format("label column '{}' holds strings; a regression needs a numeric label",
                                        label.column));
    }
    std::set<std::string, std::less<>> distinct;
    for (size_t i = 0; i < column.length(); ++i) {
      RequireValid(column, label.column, i);
      distinct.emplace(column.StringAt(i));
    }
    if (!label.positive.empty()) {
      if (!distinct.count(label.positive)) {
        throw InvalidArgument(fmt::format("label.positive '{}' never occurs in column '{}'", label.positive,
                                          label.column));
      }
      // One class against the rest: every other value is the negative class.
      distinct.erase(label.positive);
      encoding.classes = {distinct.size() == 1 ? *distinct.begin() : "not " + label.positive, label.positive};
      if (distinct.empty()) encoding.classes.resize(1);
    } else {
      encoding.classes.assign(distinct.begin(), distinct.end());
    }
  } else if (column.type().id == TypeId::kDenseVector || column.type().id == TypeId::kSparseVector) {
    throw SchemaError(fmt::format("label column '{}' is a vector; it must be numeric or string", label.column));
  } else if (classification) {
    if (!label.positive.empty()) {
      throw InvalidArgument(fmt::format("label.positive applies to string labels; column '{}' is numeric (0/1)",
                                        label.column));
    }
    std::set<double> distinct;
    for (size_t i = 0; i < column.length(); ++i) {
      RequireValid(column, label.column, i);
      distinct.insert(column.NumericAt(i));
      if (distinct.size() > 1000) break;
    }
    for (double v : distinct) encoding.classes.push_back(FormatNumber(v));
  }
  if (classification && encoding.classes.size() < 2) {
    throw InvalidArgument(fmt::format("label column '{}' has a single class ({}); a classifier needs at least two",
                                      label.column, encoding.classes.empty() ? "none" : encoding.classes[0]));
  }
  return encoding;
}

DataFrame EncodeLabel(const DataFrame& frame, const LabelEncoding& encoding) {
  if (!encoding.from_strings || !frame.schema().Contains(encoding.column)) return frame;
  const Column& column = *frame.column(encoding.column);
  std::map<std::string, double, std::less<>> index;
  for (size_t i = 0; i < encoding.classes.size(); ++i) index.emplace(encoding.classes[i], static_cast<double>(i));
  std::vector<double> values(column.length());
  for (size_t i = 0; i < column.length(); ++i) {
    RequireValid(column, encoding.column, i);
    const std::string_view value = column.StringAt(i);
    auto it = index.find(value);
    if (it != index.end()) {
      values[i] = it->second;
    } else if (!encoding.positive.empty()) {
      values[i] = 0.0;  // everything but the positive class is negative
    } else {
      throw InvalidArgument(fmt::format("label column '{}' row {} holds '{}', a class not seen in training ({})",
                                        encoding.column, i + 1, value, fmt::join(encoding.classes, ", ")));
    }
  }
  return frame.WithColumn(encoding.column, MakeColumn(values));
}

}  // namespace ember::runner
