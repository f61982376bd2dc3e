// Value equality of frames for the CSV fuzz targets: the same schema, rows,
// nulls and values, with NaN equal to NaN (the readers keep NaN as a value).
#pragma once

#include <cmath>
#include <cstddef>

#include "frame/dataframe.h"

namespace ember::fuzz {

inline bool SameValue(const Column& a, const Column& b, size_t i) {
  if (a.IsNull(i) != b.IsNull(i)) return false;
  if (a.IsNull(i)) return true;
  if (a.type().id == TypeId::kString) return a.StringAt(i) == b.StringAt(i);
  const double x = a.NumericAt(i);
  const double y = b.NumericAt(i);
  return x == y || (std::isnan(x) && std::isnan(y));
}

inline bool SameFrame(const DataFrame& x, const DataFrame& y) {
  if (!(x.schema() == y.schema()) || x.num_rows() != y.num_rows()) return false;
  for (size_t c = 0; c < x.num_columns(); ++c) {
    for (size_t i = 0; i < x.num_rows(); ++i) {
      if (!SameValue(*x.column(c), *y.column(c), i)) return false;
    }
  }
  return true;
}

}  // namespace ember::fuzz
