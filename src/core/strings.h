// Small string helpers shared by every layer: joining, and "did you mean"
// suggestions for error messages.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ember {

/// Levenshtein distance (insertions, deletions, substitutions; case-sensitive).
size_t EditDistance(std::string_view a, std::string_view b);

/// The candidate closest to `name` if it is close enough to be a plausible
/// typo (distance at most max(2, |name|/3) and below |name|); nullopt otherwise.
std::optional<std::string> ClosestMatch(std::string_view name, std::span<const std::string> candidates);

/// "; did you mean 'x'?" or "" when nothing is close.
std::string DidYouMean(std::string_view name, std::span<const std::string> candidates);

/// Joins items with a separator, quoting each one when `quote` is set.
std::string Join(std::span<const std::string> items, std::string_view separator = ", ");

/// True when the bytes are well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);
/// Byte offset of the first invalid UTF-8 sequence, or npos.
size_t FirstInvalidUtf8(std::string_view s);

}  // namespace ember
