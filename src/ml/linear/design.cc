#include "ml/linear/design.h"

#include <cmath>

#include <fmt/format.h>

#include "core/parallel_for.h"
#include "ml/feature/feature_util.h"

namespace ember {

void RequireSupervisedInputs(const Stage& stage, const Schema& input) {
  const ParamMap& p = stage.params();
  const Field& f = RequireColumn(stage, input, "featuresCol", p.GetString("featuresCol"));
  if (!f.type.is_vector()) {
    throw SchemaError(fmt::format("{}: featuresCol '{}' must be a vector column (use VectorAssembler), got {}",
                                  stage.class_name(), f.name, f.type.ToString()));
  }
  RequireNumericColumn(stage, input, "labelCol", p.GetString("labelCol"));
  if (!p.GetString("weightCol").empty()) RequireNumericColumn(stage, input, "weightCol", p.GetString("weightCol"));
}

Design MakeDesign(const DataFrame& frame, const std::string& features_col, const std::string& label_col,
                  const std::string& weight_col, const std::string& stage, const Context& ctx) {
  Design d;
  const Column& features = *frame.column(features_col);
  if (!features.type().is_vector()) {
    throw SchemaError(fmt::format("{}: featuresCol '{}' must be a vector column (use VectorAssembler), got {}", stage,
                                  features_col, features.type().ToString()));
  }
  const Column& label = *frame.column(label_col);
  if (!label.type().is_numeric()) {
    throw SchemaError(fmt::format("{}: labelCol '{}' must be numeric (index string labels with StringIndexer), got {}",
                                  stage, label_col, label.type().ToString()));
  }
  if (frame.num_rows() == 0) throw InvalidArgument(fmt::format("{}: the training data has no rows", stage));
  d.features = &features;
  d.dim = features.type().dim;
  d.rows = frame.num_rows();
  d.labels = NumericValues(label);
  for (size_t i = 0; i < d.rows; ++i) {
    if (!std::isfinite(d.labels[i])) {
      throw InvalidArgument(fmt::format("{}: label column '{}' has a null or non-finite value at row {}", stage,
                                        label_col, i));
    }
  }
  if (!weight_col.empty()) {
    const Column& w = *frame.column(weight_col);
    if (!w.type().is_numeric()) {
      throw SchemaError(fmt::format("{}: weightCol '{}' must be numeric, got {}", stage, weight_col,
                                    w.type().ToString()));
    }
    d.weights = NumericValues(w);
    for (size_t i = 0; i < d.rows; ++i) {
      if (!(d.weights[i] >= 0) || !std::isfinite(d.weights[i])) {
        throw InvalidArgument(fmt::format("{}: weight column '{}' must be finite and >= 0; row {} has {}", stage,
                                          weight_col, i, d.weights[i]));
      }
    }
  }
  for (size_t i = 0; i < d.rows; ++i) d.weight_sum += d.weight(i);
  if (!(d.weight_sum > 0)) throw InvalidArgument(fmt::format("{}: the weights sum to zero", stage));
  if (features.null_count() > 0) {
    for (size_t i = 0; i < d.rows; ++i) {
      if (features.IsNull(i)) {
        throw InvalidArgument(fmt::format("{}: features column '{}' is null at row {}", stage, features_col, i));
      }
    }
  }
  // NaN or infinity in a feature makes the loss NaN; say where instead.
  const auto values = features.buffers().values->as<float>();
  const size_t bad = ParallelReduce(ctx, values.size(), 1 << 16, values.size(), [&](const BlockRange& r) {
    for (size_t i = r.begin; i < r.end; ++i) {
      if (!std::isfinite(values[i])) return i;
    }
    return values.size();
  }, [](size_t a, size_t b) { return std::min(a, b); });
  if (bad < values.size()) {
    size_t row = bad / std::max<size_t>(1, d.dim);
    if (d.sparse()) {
      const auto offsets = features.buffers().offsets->as<int64_t>();
      row = static_cast<size_t>(std::upper_bound(offsets.begin(), offsets.end(), static_cast<int64_t>(bad)) -
                                offsets.begin()) - 1;
    }
    throw InvalidArgument(fmt::format("{}: features column '{}' has a NaN or infinite value in row {}; impute it first "
                                      "(Imputer) or drop the row", stage, features_col, row));
  }
  return d;
}

FeatureStats ComputeFeatureStats(const Design& design, const Context& ctx) {
  const auto d = static_cast<size_t>(design.dim);
  struct Sums {
    std::vector<double> s1, s2;
  };
  const Column& f = *design.features;
  // Pass 1: weighted means. Pass 2: weighted squared deviations (stable).
  auto block_sums = [&](const BlockRange& r, const std::vector<double>* mean) {
    Sums s{std::vector<double>(d, 0.0), std::vector<double>(d, 0.0)};
    for (size_t i = r.begin; i < r.end; ++i) {
      const double w = design.weight(i);
      if (design.sparse()) {
        const SparseRow row = f.SparseRowAt(i);
        for (size_t k = 0; k < row.indices.size(); ++k) {
          const auto j = static_cast<size_t>(row.indices[k]);
          // Sparse rows keep raw second moments: deviations of the implicit
          // zeros are accounted for from the totals afterwards.
          s.s1[j] += w * row.values[k];
          s.s2[j] += w * row.values[k] * row.values[k];
        }
      } else {
        const auto row = f.DenseRow(i);
        for (size_t j = 0; j < d; ++j) {
          s.s1[j] += w * row[j];
          if (mean) s.s2[j] += w * (row[j] - (*mean)[j]) * (row[j] - (*mean)[j]);
        }
      }
    }
    return s;
  };
  auto combine = [d](Sums a, Sums b) {
    if (a.s1.empty()) return b;
    for (size_t j = 0; j < d; ++j) {
      a.s1[j] += b.s1[j];
      a.s2[j] += b.s2[j];
    }
    return a;
  };
  const Sums first = ParallelReduce(ctx, design.rows, kDefaultBlockRows, Sums{},
                                    [&](const BlockRange& r) { return block_sums(r, nullptr); }, combine);
  FeatureStats stats;
  stats.mean.resize(d);
  for (size_t j = 0; j < d; ++j) stats.mean[j] = first.s1[j] / design.weight_sum;
  std::vector<double> ss(d);
  if (design.sparse()) {
    for (size_t j = 0; j < d; ++j) ss[j] = first.s2[j] - design.weight_sum * stats.mean[j] * stats.mean[j];
  } else {
    ss = ParallelReduce(ctx, design.rows, kDefaultBlockRows, Sums{},
                        [&](const BlockRange& r) { return block_sums(r, &stats.mean); }, combine).s2;
  }
  stats.std.resize(d);
  for (size_t j = 0; j < d; ++j) {
    const double denom = design.weight_sum - 1.0;
    stats.std[j] = denom > 0 ? std::sqrt(std::max(ss[j], 0.0) / denom) : 0.0;
  }
  return stats;
}

Standardization Standardization::Make(const FeatureStats& stats, bool fit_intercept) {
  Standardization s;
  const size_t d = stats.std.size();
  s.mean.assign(d, 0.0);
  s.inv_std.assign(d, 0.0);
  for (size_t j = 0; j < d; ++j) {
    s.inv_std[j] = stats.std[j] > 0 ? 1.0 / stats.std[j] : 0.0;
    if (fit_intercept) s.mean[j] = stats.mean[j];
  }
  return s;
}

}  // namespace ember
