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

namespace {

template <class T>
struct FastPathLimits;
template <>
struct FastPathLimits<double> {
  static constexpr uint64_t kMaxMantissa = uint64_t{1} << 53;
  static constexpr double kPow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  static constexpr size_t kMaxFraction = 22;
};
template <>
struct FastPathLimits<float> {
  static constexpr uint64_t kMaxMantissa = uint64_t{1} << 24;
  static constexpr float kPow10[11] = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
  static constexpr size_t kMaxFraction = 10;
};

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// The value of eight digit values (bytes 0..9, the first byte most
// significant), as in fast_float's parse_eight_digits_unrolled.
inline uint64_t EightDigits(uint64_t val) {
  constexpr uint64_t kMask = 0x000000FF000000FF;
  constexpr uint64_t kMul1 = 0x000F424000000064;  // 100 + (1000000 << 32)
  constexpr uint64_t kMul2 = 0x0000271000000001;  // 1 + (10000 << 32)
  val = (val * 10) + (val >> 8);
  return (((val & kMask) * kMul1) + (((val >> 16) & kMask) * kMul2)) >> 32;
}

constexpr uint64_t kPow10u[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// Appends the run of digits at q to m (wrapping past 19 digits; callers
// count digits and give up then), eight at a time where 8 bytes remain.
inline const char* ConsumeDigits(const char* q, const char* last, uint64_t& m) {
  while (last - q >= 8) {
    uint64_t w;
    std::memcpy(&w, q, 8);
    const uint64_t t = w - 0x3030303030303030ULL;
    // High bit of each byte that is not '0'..'9'; exact for the lowest such
    // byte, the only one used (borrows and carries only move upward).
    const uint64_t bad = (t | (t + 0x7676767676767676ULL)) & 0x8080808080808080ULL;
    if (bad == 0) {
      m = m * 100000000 + EightDigits(t);
      q += 8;
      continue;
    }
    const int n = __builtin_ctzll(bad) / 8;
    if (n > 0) m = m * kPow10u[n] + EightDigits(t << (8 * (8 - n)));
    return q + n;
  }
  while (q < last && IsDigit(*q)) m = m * 10 + static_cast<uint64_t>(*q++ - '0');
  return q;
}

}  // namespace

template <class T>
std::from_chars_result ParseNumberPrefix(const char* first, const char* last, T& out) {
  using L = FastPathLimits<T>;
  const char* q = first;
  const bool negative = q < last && *q == '-';
  q += negative;
  const char* digits = q;
  uint64_t m = 0;
  q = ConsumeDigits(q, last, m);
  const auto int_digits = static_cast<size_t>(q - digits);
  size_t frac_digits = 0;
  if (q < last && *q == '.') {
    const char* f = ++q;
    q = ConsumeDigits(q, last, m);
    frac_digits = static_cast<size_t>(q - f);
  }
  // Clinger's fast path: an exact mantissa divided by an exact power of ten
  // is correctly rounded. Everything else goes to fast_float.
  const size_t total = int_digits + frac_digits;
  if (total == 0 || total > 19 || m > L::kMaxMantissa || frac_digits > L::kMaxFraction ||
      (q < last && (*q == 'e' || *q == 'E'))) {
    const auto r = fast_float::from_chars(first, last, out);
    return {r.ptr, r.ec};
  }
  const T v = static_cast<T>(m) / L::kPow10[frac_digits];
  out = negative ? -v : v;
  return {q, std::errc()};
}

template std::from_chars_result ParseNumberPrefix<double>(const char*, const char*, double&);
template std::from_chars_result ParseNumberPrefix<float>(const char*, const char*, float&);

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
