#include "io/csv_value.h"

#include <charconv>
#include <cstring>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

namespace ember::csv {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// std::from_chars and fast_float reject a leading '+'; CSV writers emit it.
std::string_view StripPlus(std::string_view t) {
  if (t.size() >= 2 && t[0] == '+' && ((t[1] >= '0' && t[1] <= '9') || t[1] == '.')) t.remove_prefix(1);
  return t;
}

template <class T>
bool ParseIntegral(std::string_view text, T& out) {
  const std::string_view t = StripPlus(TrimSpaces(text));
  if (t.empty()) return false;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  return ec == std::errc() && ptr == t.data() + t.size();
}

template <class T>
bool ParseFloating(std::string_view text, T& out) {
  const std::string_view t = StripPlus(TrimSpaces(text));
  if (t.empty()) return false;
  const auto [ptr, ec] = fast_float::from_chars(t.data(), t.data() + t.size(), out);
  return ec == std::errc() && ptr == t.data() + t.size();
}

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

ValueKind JoinKinds(ValueKind a, ValueKind b) {
  if (a == ValueKind::kNull || a == ValueKind::kBlank) return b == ValueKind::kNull ? a : b;
  if (b == ValueKind::kNull || b == ValueKind::kBlank) return a;
  if (a == b) return a;
  if (a == ValueKind::kBool || b == ValueKind::kBool) return ValueKind::kString;
  return a > b ? a : b;
}

ValueKind ClassifyValue(std::string_view text) {
  const std::string_view t = TrimSpaces(text);
  if (t.empty()) return ValueKind::kBlank;
  uint8_t b;
  if (ParseBool(t, b)) return ValueKind::kBool;
  int64_t i;
  if (ParseIntegral(t, i)) {
    return i >= INT32_MIN && i <= INT32_MAX ? ValueKind::kInt32 : ValueKind::kInt64;
  }
  double d;
  if (ParseFloating(t, d)) return ValueKind::kFloat;
  return ValueKind::kString;
}

DataType KindToType(ValueKind kind, DataType float_type) {
  switch (kind) {
    case ValueKind::kBool: return DataType::Bool();
    case ValueKind::kInt32: return DataType::Int32();
    case ValueKind::kInt64: return DataType::Int64();
    case ValueKind::kFloat: return float_type;
    default: return DataType::String();
  }
}

ValueKind TypeToKind(DataType type) {
  switch (type.id) {
    case TypeId::kBool: return ValueKind::kBool;
    case TypeId::kInt32: return ValueKind::kInt32;
    case TypeId::kInt64: return ValueKind::kInt64;
    case TypeId::kFloat32:
    case TypeId::kFloat64: return ValueKind::kFloat;
    default: return ValueKind::kString;
  }
}

bool ParseBool(std::string_view text, uint8_t& out) {
  const std::string_view t = TrimSpaces(text);
  if (EqualsIgnoreCase(t, "true")) {
    out = 1;
    return true;
  }
  if (EqualsIgnoreCase(t, "false")) {
    out = 0;
    return true;
  }
  return false;
}

bool ParseInt32(std::string_view text, int32_t& out) { return ParseIntegral(text, out); }
bool ParseInt64(std::string_view text, int64_t& out) { return ParseIntegral(text, out); }
bool ParseFloat32(std::string_view text, float& out) { return ParseFloating(text, out); }
bool ParseFloat64(std::string_view text, double& out) { return ParseFloating(text, out); }

std::string TruncateForMessage(std::string_view text, size_t max_bytes) {
  size_t cut = text.size();
  if (cut > max_bytes) {
    cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  // Control characters are escaped so an error message stays on one line.
  std::string out;
  for (const char c : text.substr(0, cut)) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out.push_back(c);
    }
  }
  if (cut < text.size()) out += "...";
  return out;
}

}  // namespace ember::csv
