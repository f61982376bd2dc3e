#include "ml/feature/feature_hasher.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <set>

#include <fmt/format.h>

#include "ml/feature/column_blocks.h"
#include "ml/feature/feature_util.h"
#include "ml/feature/murmur3.h"

namespace ember {

const ParamTable& FeatureHasher::Params() {
  static const ParamTable table = [] {
    ParamTable p("FeatureHasher");
    p.StringList("inputCols", std::nullopt, "columns to hash (numeric, bool or string)");
    p.String("outputCol", std::nullopt, "output sparse vector column");
    p.Int("numFeatures", 262144, "number of features (vector size); a power of two spreads indices evenly", 1,
          2147483647.0);
    p.StringList("categoricalCols", std::vector<std::string>{},
                 "numeric columns among inputCols to treat as categorical (hash 'name=value')");
    return p;
  }();
  return table;
}

Schema FeatureHasher::TransformSchema(const Schema& input) const {
  const auto& inputs = params().GetStringList("inputCols");
  if (inputs.empty()) throw SchemaError("FeatureHasher: inputCols must name at least one column");
  const std::set<std::string> input_set(inputs.begin(), inputs.end());
  for (const std::string& c : params().GetStringList("categoricalCols")) {
    if (!input_set.count(c)) {
      throw SchemaError(fmt::format("FeatureHasher: categoricalCols column '{}' is not among inputCols", c));
    }
  }
  for (const std::string& c : inputs) {
    const Field& f = RequireColumn(*this, input, "inputCols", c);
    if (!f.type.is_numeric() && f.type.id != TypeId::kString) {
      throw SchemaError(fmt::format("FeatureHasher: inputCols column '{}' must be numeric, bool or string, got {}",
                                    c, f.type.ToString()));
    }
  }
  RequireAbsent(*this, input, "outputCol", params().GetString("outputCol"));
  return AppendField(input, {params().GetString("outputCol"),
                             DataType::SparseVector(static_cast<int32_t>(params().GetInt("numFeatures"))),
                             {}});
}

std::string JavaNumberString(double value, bool is_float32) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  char buf[64];
  const auto res = is_float32 ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(value),
                                              std::chars_format::scientific)
                              : std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));  // "-d.ddde+XX"
  const size_t e_pos = sci.find('e');
  const bool negative = sci[0] == '-';
  std::string digits;
  for (char ch : sci.substr(negative ? 1 : 0, e_pos - (negative ? 1 : 0))) {
    if (ch != '.') digits.push_back(ch);
  }
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + (sci[e_pos + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
  std::string out = negative ? "-" : "";
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      const size_t int_digits = static_cast<size_t>(exponent) + 1;
      if (digits.size() <= int_digits) {
        out += digits + std::string(int_digits - digits.size(), '0') + ".0";
      } else {
        out += digits.substr(0, int_digits) + "." + digits.substr(int_digits);
      }
    } else {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    }
  } else {
    out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" + std::to_string(exponent);
  }
  return out;
}

namespace {

// The categorical text of one valid value of a non-string column.
void AppendValueText(const Column& c, size_t row, std::string& out) {
  switch (c.type().id) {
    case TypeId::kBool: out += c.values<uint8_t>()[row] ? "true" : "false"; break;
    case TypeId::kInt32: fmt::format_to(std::back_inserter(out), "{}", c.values<int32_t>()[row]); break;
    case TypeId::kInt64: fmt::format_to(std::back_inserter(out), "{}", c.values<int64_t>()[row]); break;
    case TypeId::kFloat32: out += JavaNumberString(c.values<float>()[row], true); break;
    default: out += JavaNumberString(c.NumericAt(row), false); break;
  }
}

struct HashedColumn {
  const Column* column;
  std::string name;
  bool categorical;
  int32_t name_index;  // numeric columns: the index of hash(name)
};

}  // namespace

DataFrame FeatureHasher::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const auto n = static_cast<int32_t>(params().GetInt("numFeatures"));
  const auto& cat = params().GetStringList("categoricalCols");
  std::vector<HashedColumn> columns;
  for (const std::string& name : params().GetStringList("inputCols")) {
    const Column& c = *input.column(name);
    const bool categorical = !c.type().is_numeric() || c.type().id == TypeId::kBool ||
                             std::find(cat.begin(), cat.end(), name) != cat.end();
    columns.push_back({&c, name, categorical, SparkTermIndex(name, n)});
  }
  ColumnPtr out = BuildSparseColumn(ctx, input.num_rows(), n, [&](const BlockRange& r, SparseBlockWriter& w) {
    std::vector<std::pair<int32_t, double>> entries;
    std::string text;
    for (size_t row = r.begin; row < r.end; ++row) {
      entries.clear();
      for (const HashedColumn& h : columns) {
        if (h.column->IsNull(row)) continue;
        if (!h.categorical) {
          entries.emplace_back(h.name_index, h.column->NumericAt(row));
          continue;
        }
        text.assign(h.name);
        text.push_back('=');
        if (h.column->type().id == TypeId::kString) {
          text.append(h.column->StringAt(row));
        } else {
          AppendValueText(*h.column, row, text);
        }
        entries.emplace_back(SparkTermIndex(text, n), 1.0);
      }
      std::sort(entries.begin(), entries.end());  // by index, then value: a fixed summation order
      for (size_t i = 0; i < entries.size();) {
        double sum = 0;
        size_t j = i;
        for (; j < entries.size() && entries[j].first == entries[i].first; ++j) sum += entries[j].second;
        w.Add(entries[i].first, static_cast<float>(sum));
        i = j;
      }
      w.EndRow();
    }
  });
  return input.WithColumn(params().GetString("outputCol"), std::move(out));
}

}  // namespace ember
