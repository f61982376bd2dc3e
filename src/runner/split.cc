#include "runner/split.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <vector>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/random.h"

#include <fmt/format.h>

namespace ember::runner {

SplitFrames SplitTrainTest(const DataFrame& frame, double test_fraction, uint64_t seed,
                           const std::string& stratify_column) {
  if (stratify_column.empty()) {
    const double fractions[] = {1.0 - test_fraction, test_fraction};
    std::vector<DataFrame> parts = frame.RandomSplit(fractions, seed);
    return {std::move(parts[0]), std::move(parts[1])};
  }
  const Column& label = *frame.column(stratify_column);
  std::map<double, std::vector<int64_t>> by_class;
  for (size_t i = 0; i < label.length(); ++i) by_class[label.NumericAt(i)].push_back(static_cast<int64_t>(i));
  std::vector<uint8_t> in_test(frame.num_rows(), 0);
  for (auto& [value, rows] : by_class) {
    // The rows of each class with the smallest seeded draws go to test.
    std::sort(rows.begin(), rows.end(), [seed](int64_t a, int64_t b) {
      return UniformAt(seed, static_cast<uint64_t>(a)) < UniformAt(seed, static_cast<uint64_t>(b));
    });
    const auto take = static_cast<size_t>(std::llround(test_fraction * static_cast<double>(rows.size())));
    for (size_t k = 0; k < take; ++k) in_test[static_cast<size_t>(rows[k])] = 1;
  }
  std::vector<int64_t> train_rows, test_rows;
  for (size_t i = 0; i < in_test.size(); ++i) (in_test[i] ? test_rows : train_rows).push_back(static_cast<int64_t>(i));
  return {frame.Take(train_rows), frame.Take(test_rows)};
}

SplitFrames SplitByRowFile(const DataFrame& frame, const std::string& test_rows_file) {
  const std::string text = ReadFileToString(test_rows_file);
  std::vector<uint8_t> in_test(frame.num_rows(), 0);
  int64_t line = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++line;
    std::string_view item(text.data() + start, end - start);
    if (!item.empty() && item.back() == '\r') item.remove_suffix(1);
    start = end + 1;
    if (item.empty()) continue;
    uint64_t row = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), row);
    if (ec != std::errc() || ptr != item.data() + item.size() || row >= frame.num_rows()) {
      throw ParseError(test_rows_file, line, 1,
                       fmt::format("'{}' is not a row index from 0 to {}", item, frame.num_rows() - 1));
    }
    in_test[row] = 1;
  }
  std::vector<int64_t> train_rows, test_rows;
  for (size_t i = 0; i < in_test.size(); ++i) (in_test[i] ? test_rows : train_rows).push_back(static_cast<int64_t>(i));
  return {frame.Take(train_rows), frame.Take(test_rows)};
}

}  // namespace ember::runner
