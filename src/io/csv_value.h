// CSV field values: classifying a field for type inference (the
// bool / int32 -> int64 -> float -> string lattice) and parsing a field's
// text into a typed value. Shared by the reader's inference and its
// parallel parse so both accept exactly the same spellings.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <fast_float/fast_float.h>

#include "frame/data_type.h"

namespace ember::csv {

/// What a sampled value says about its column's type, in lattice order.
/// kBlank (a quoted empty field, or only spaces) and kNull decide nothing;
/// bool joined with any number gives kString.
enum class ValueKind : uint8_t { kNull, kBlank, kBool, kInt32, kInt64, kFloat, kString };

/// The smallest kind that holds both (kNull/kBlank are identities).
ValueKind JoinKinds(ValueKind a, ValueKind b);

/// The kind of one non-null field text (already unquoted). Spaces and tabs
/// around numbers and booleans are allowed; "nan", "inf", "-inf" are floats.
ValueKind ClassifyValue(std::string_view text);

/// The column type for a joined kind; kNull/kBlank (all sampled values
/// missing) and kString give string, kFloat gives `float_type`.
DataType KindToType(ValueKind kind, DataType float_type);
/// The kind a column of `type` accepts (kString for non-numeric types).
ValueKind TypeToKind(DataType type);

/// Text with spaces and tabs stripped from both ends.
std::string_view TrimSpaces(std::string_view text);

/// Parse a whole field (spaces around allowed) into a value; false when the
/// text is not exactly one value of that type (out of range included).
bool ParseBool(std::string_view text, uint8_t& out);
bool ParseInt32(std::string_view text, int32_t& out);
bool ParseInt64(std::string_view text, int64_t& out);
bool ParseFloat32(std::string_view text, float& out);
bool ParseFloat64(std::string_view text, double& out);

/// Parses the longest number at the start of [first, last) exactly as
/// fast_float::from_chars does, but takes a quicker exact path for plain
/// decimals (no exponent, mantissa below 2^53 for double / 2^24 for float,
/// at most 22 / 10 fraction digits): one correctly rounded division.
template <class T>
std::from_chars_result ParseNumberPrefix(const char* first, const char* last, T& out);

/// `text` for an error message: control characters escaped, cut to at most
/// `max_bytes` on a UTF-8 boundary, with "..." when cut.
std::string TruncateForMessage(std::string_view text, size_t max_bytes = 40);

// Implementation, inline so the reader's hot loop pays no call per field.

namespace detail {

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

}  // namespace detail

template <class T>
inline std::from_chars_result ParseNumberPrefix(const char* first, const char* last, T& out) {
  using L = detail::FastPathLimits<T>;
  const char* q = first;
  const bool negative = q < last && *q == '-';
  q += negative;
  const char* digits = q;
  uint64_t m = 0;
  q = detail::ConsumeDigits(q, last, m);
  const auto int_digits = static_cast<size_t>(q - digits);
  size_t frac_digits = 0;
  if (q < last && *q == '.') {
    const char* f = ++q;
    q = detail::ConsumeDigits(q, last, m);
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

}  // namespace ember::csv
