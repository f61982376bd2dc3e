// CSV field values: classifying a field for type inference (the
// bool / int32 -> int64 -> float -> string lattice) and parsing a field's
// text into a typed value. Shared by the reader's inference and its
// parallel parse so both accept exactly the same spellings.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

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

}  // namespace ember::csv
