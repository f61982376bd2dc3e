#include "ml/feature/robust_scaler.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/parallel_for.h"
#include "ml/feature/stage_support.h"
#include "ml/pipeline/artifact.h"

namespace ember {
namespace {

ParamTable RobustTable(const char* name) {
  ParamTable p(name);
  p.String("inputCol", std::nullopt, "input vector column");
  p.String("outputCol", std::nullopt, "output vector column (default '<uid>__output')");
  p.Double("lower", 0.25, "lower quantile of the range", 0.0, 1.0);
  p.Double("upper", 0.75, "upper quantile of the range", 0.0, 1.0);
  p.Bool("withCentering", false, "subtract the median (makes sparse output dense)");
  p.Bool("withScaling", true, "divide by the quantile range");
  p.Double("relativeError", 0.001, "accepted for Spark compatibility; ember's quantiles are exact", 0.0, 1.0);
  return p;
}

void CheckQuantiles(const Stage& stage) {
  const double lower = stage.params().GetDouble("lower");
  const double upper = stage.params().GetDouble("upper");
  if (!(lower < upper)) {
    throw InvalidArgument(fmt::format("{}: lower ({}) must be less than upper ({})", stage.class_name(), lower, upper));
  }
}

AffineMap RobustAffine(const ParamMap& p, const std::vector<double>& range, const std::vector<double>& median) {
  const bool center = p.GetBool("withCentering");
  const bool scale = p.GetBool("withScaling");
  AffineMap a{.shift = std::vector<double>(range.size(), 0.0),
              .scale = std::vector<double>(range.size(), 1.0),
              .offset = std::vector<double>(range.size(), 0.0),
              .keeps_zero = !center};
  for (size_t j = 0; j < range.size(); ++j) {
    if (center) a.shift[j] = median[j];
    if (scale) a.scale[j] = range[j] != 0 ? 1.0 / range[j] : 0.0;
  }
  return a;
}

}  // namespace

const ParamTable& RobustScaler::Params() {
  static const ParamTable table = RobustTable("RobustScaler");
  return table;
}

const ParamTable& RobustScalerModel::Params() {
  static const ParamTable table = RobustTable("RobustScalerModel");
  return table;
}

Schema RobustScaler::TransformSchema(const Schema& input) const {
  CheckQuantiles(*this);
  return VectorScalerSchema(*this, input, !params().GetBool("withCentering"));
}

ModelPtr RobustScaler::Fit(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const std::string& name = params().GetString("inputCol");
  const Column& c = *input.column(name);
  const auto dim = static_cast<size_t>(c.type().dim);
  // Column-major copies of the finite-or-infinite (non-NaN) values, sorted
  // per feature in parallel.
  std::vector<std::vector<double>> values(dim);
  for (auto& v : values) v.reserve(c.length());
  std::vector<float> scratch(dim);
  ForEachVectorRow(c, 0, c.length(), scratch, [&](size_t, std::span<const float> row) {
    for (size_t j = 0; j < dim; ++j) {
      if (!std::isnan(row[j])) values[j].push_back(row[j]);
    }
  });
  const double lower = params().GetDouble("lower");
  const double upper = params().GetDouble("upper");
  std::vector<double> range(dim);
  std::vector<double> median(dim);
  ParallelFor(ctx, dim, 1, [&](const BlockRange& r) {
    for (size_t j = r.begin; j < r.end; ++j) {
      std::vector<double>& v = values[j];
      if (v.empty()) {
        throw InvalidArgument(
            fmt::format("RobustScaler: feature {} of column '{}' has no non-NaN values to fit on", j, name));
      }
      std::sort(v.begin(), v.end());
      range[j] = LinearQuantile(v, upper) - LinearQuantile(v, lower);
      median[j] = LinearQuantile(v, 0.5);
    }
  });
  return std::make_shared<RobustScalerModel>(ModelParams(RobustScalerModel::Params(), params()), uid(), input.schema(),
                                             std::move(range), std::move(median));
}

RobustScalerModel::RobustScalerModel(ParamMap params, std::string uid, Schema input_schema, std::vector<double> range,
                                     std::vector<double> median)
    : AffineVectorModel(params, std::move(uid), std::move(input_schema), RobustAffine(params, range, median)),
      range_(std::move(range)),
      median_(std::move(median)) {}

void RobustScalerModel::SaveData(ArtifactWriter& writer) const {
  writer.PutDoubles("range", range_);
  writer.PutDoubles("median", median_);
}

std::shared_ptr<const Stage> RobustScalerModel::Load(const ArtifactReader& reader, const StageRegistry&) {
  std::vector<double> range = reader.GetDoubles("range");
  std::vector<double> median = reader.GetDoubles("median");
  if (range.empty() || range.size() != median.size()) {
    throw CorruptData(fmt::format("{}: arrays 'range' ({}) and 'median' ({}) must have one value per feature",
                                  reader.dir(), range.size(), median.size()));
  }
  return std::make_shared<RobustScalerModel>(reader.Params(Params()), reader.uid(), reader.InputSchema(),
                                             std::move(range), std::move(median));
}

}  // namespace ember
