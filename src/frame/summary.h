// Per-column summary statistics of a DataFrame (what `ember describe` prints).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/context.h"
#include "frame/dataframe.h"

namespace ember {

/// Statistics of one column. For numeric columns NaN values are counted in
/// `nans` and left out of mean/std/min/max (as pandas' describe does); std is
/// the sample standard deviation (n - 1). For strings `distinct` counts the
/// different non-null values; for vectors only count and nulls are filled.
struct ColumnSummary {
  std::string name;
  DataType type;
  uint64_t count = 0;  // non-null values
  uint64_t nulls = 0;
  uint64_t nans = 0;
  double mean = 0, std = 0, min = 0, max = 0;
  uint64_t distinct = 0;
};

/// Summaries of every column, computed with ctx's threads; the numbers do not
/// depend on the thread count.
std::vector<ColumnSummary> Summarize(const DataFrame& frame, const Context& ctx);

}  // namespace ember
