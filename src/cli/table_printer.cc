#include "cli/table_printer.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace ember::cli {

namespace {

bool LooksNumeric(const std::string& s) {
  return !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s == "nan" || s == "inf");
}

template <class T>
std::string Shortest(T v) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), v);
  return std::string(buffer, end);
}

std::string FormatStat(double v) {
  if (std::isnan(v)) return "";
  return fmt::format("{:.6g}", v);
}

}  // namespace

std::string FormatTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells, bool is_header) {
    for (size_t c = 0; c < width.size(); ++c) {
      const std::string& cell = c < cells.size() ? cells[c] : std::string();
      const bool right = !is_header && LooksNumeric(cell);
      out += right ? fmt::format("{:>{}}", cell, width[c]) : fmt::format("{:<{}}", cell, width[c]);
      out += c + 1 < width.size() ? "  " : "";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  line(header, true);
  size_t total = 0;
  for (size_t w : width) total += w + 2;
  out += std::string(total >= 2 ? total - 2 : 0, '-') + '\n';
  for (const auto& row : rows) line(row, false);
  return out;
}

std::string FormatCell(const Column& column, size_t row) {
  if (column.IsNull(row)) return "null";
  switch (column.type().id) {
    case TypeId::kBool: return column.values<uint8_t>()[row] ? "true" : "false";
    case TypeId::kInt32: return Shortest(column.values<int32_t>()[row]);
    case TypeId::kInt64: return Shortest(column.values<int64_t>()[row]);
    case TypeId::kFloat32: return Shortest(column.values<float>()[row]);
    case TypeId::kFloat64: return Shortest(column.values<double>()[row]);
    case TypeId::kString: return std::string(column.StringAt(row));
    case TypeId::kDenseVector: {
      const auto v = column.DenseRow(row);
      std::string out = "[";
      for (size_t i = 0; i < v.size() && i < 4; ++i) out += (i ? ", " : "") + Shortest(v[i]);
      return out + (v.size() > 4 ? ", ...]" : "]");
    }
    case TypeId::kSparseVector: {
      const SparseRow r = column.SparseRowAt(row);
      std::string out = fmt::format("({}, {{", column.type().dim);
      for (size_t i = 0; i < r.indices.size() && i < 4; ++i) {
        out += fmt::format("{}{}: {}", i ? ", " : "", r.indices[i], Shortest(r.values[i]));
      }
      return out + (r.indices.size() > 4 ? ", ...})" : "})");
    }
  }
  return "?";
}

std::string FormatFrame(const DataFrame& frame) {
  std::vector<std::vector<std::string>> rows(frame.num_rows());
  for (size_t r = 0; r < frame.num_rows(); ++r) {
    for (size_t c = 0; c < frame.num_columns(); ++c) rows[r].push_back(FormatCell(*frame.column(c), r));
  }
  return FormatTable(frame.schema().names(), rows);
}

std::string FormatSummaries(const std::vector<ColumnSummary>& summaries) {
  std::vector<std::vector<std::string>> rows;
  for (const ColumnSummary& s : summaries) {
    const bool numeric = s.type.is_numeric();
    rows.push_back({s.name, s.type.ToString(), std::to_string(s.count), std::to_string(s.nulls),
                    numeric ? std::to_string(s.nans) : "", numeric ? FormatStat(s.mean) : "",
                    numeric ? FormatStat(s.std) : "", numeric ? FormatStat(s.min) : "",
                    numeric ? FormatStat(s.max) : "", s.type.id == TypeId::kString ? std::to_string(s.distinct) : ""});
  }
  return FormatTable({"column", "type", "count", "nulls", "nans", "mean", "std", "min", "max", "distinct"}, rows);
}

}  // namespace ember::cli
