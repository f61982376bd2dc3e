#include "frame/summary.h"

#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_set>

#include "core/parallel_for.h"

namespace ember {

namespace {

/// Running moments of one block, merged with Chan et al.'s parallel update,
/// which stays accurate where sum-of-squares would cancel.
struct Moments {
  uint64_t n = 0;
  uint64_t nans = 0;
  double mean = 0, m2 = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  void Add(double x) {
    ++n;
    const double d = x - mean;
    mean += d / static_cast<double>(n);
    m2 += d * (x - mean);
    min = std::min(min, x);
    max = std::max(max, x);
  }
  static Moments Merge(Moments a, const Moments& b) {
    a.nans += b.nans;
    if (b.n == 0) return a;
    if (a.n == 0) {
      const uint64_t nans = a.nans;
      a = b;
      a.nans = nans;
      return a;
    }
    const double n = static_cast<double>(a.n + b.n);
    const double d = b.mean - a.mean;
    a.m2 += b.m2 + d * d * static_cast<double>(a.n) * static_cast<double>(b.n) / n;
    a.mean += d * static_cast<double>(b.n) / n;
    a.n += b.n;
    a.min = std::min(a.min, b.min);
    a.max = std::max(a.max, b.max);
    return a;
  }
};

void SummarizeNumeric(const Column& c, const Context& ctx, ColumnSummary* s) {
  const Moments m = ParallelReduce(ctx, c.length(), kDefaultBlockRows, Moments{}, [&](const BlockRange& r) {
    Moments local;
    for (size_t i = r.begin; i < r.end; ++i) {
      if (c.IsNull(i)) continue;
      const double x = c.NumericAt(i);
      if (std::isnan(x)) {
        ++local.nans;
      } else {
        local.Add(x);
      }
    }
    return local;
  }, &Moments::Merge);
  s->nans = m.nans;
  if (m.n > 0) {
    s->mean = m.mean;
    s->std = m.n > 1 ? std::sqrt(m.m2 / static_cast<double>(m.n - 1)) : std::numeric_limits<double>::quiet_NaN();
    s->min = m.min;
    s->max = m.max;
  } else {
    s->mean = s->std = s->min = s->max = std::numeric_limits<double>::quiet_NaN();
  }
}

}  // namespace

std::vector<ColumnSummary> Summarize(const DataFrame& frame, const Context& ctx) {
  std::vector<ColumnSummary> out;
  for (size_t i = 0; i < frame.num_columns(); ++i) {
    const Column& c = *frame.column(i);
    ColumnSummary s;
    s.name = frame.schema().field(i).name;
    s.type = c.type();
    s.nulls = c.null_count();
    s.count = c.length() - c.null_count();
    if (c.type().is_numeric()) {
      SummarizeNumeric(c, ctx, &s);
    } else if (c.type().id == TypeId::kString) {
      std::unordered_set<std::string_view> seen;
      for (size_t r = 0; r < c.length(); ++r) {
        if (c.IsValid(r)) seen.insert(c.StringAt(r));
      }
      s.distinct = seen.size();
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ember
