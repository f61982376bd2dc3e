// The train/test split of a run when the spec gives no test file: Spark's
// seeded randomSplit, or a stratified split that keeps each class's share.
#pragma once

#include <cstdint>
#include <string>

#include "frame/dataframe.h"

namespace ember::runner {

struct SplitFrames {
  DataFrame train, test;
};

/// Splits `frame` with about `test_fraction` of its rows in test. Rows keep
/// their order. With `stratify_column`, each distinct value of that column
/// contributes round(fraction x its count) rows to test, chosen by a seeded
/// hash of the row index; otherwise DataFrame::RandomSplit. The result
/// depends only on (frame, fraction, seed), never on the thread count.
SplitFrames SplitTrainTest(const DataFrame& frame, double test_fraction, uint64_t seed,
                           const std::string& stratify_column);

/// Splits by a file of 0-based row indices (one per line, the test rows).
/// Throws ParseError naming the file and line of a bad or out-of-range
/// index.
SplitFrames SplitByRowFile(const DataFrame& frame, const std::string& test_rows_file);

}  // namespace ember::runner
