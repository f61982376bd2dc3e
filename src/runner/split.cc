#include "runner/split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "core/random.h"

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

}  // namespace ember::runner
