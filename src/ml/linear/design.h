// The training data of a linear model as the optimisers see it: a feature
// vector column (dense row-major float32 or sparse CSR), labels and weights
// as doubles, and the per-feature statistics used for standardisation.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/context.h"
#include "frame/column.h"
#include "frame/dataframe.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// Read-only view over a frame's columns; the frame must outlive it.
struct Design {
  const Column* features = nullptr;  // vector[d] or sparse_vector[d]
  std::vector<double> labels;
  std::vector<double> weights;  // empty = every row weighs 1
  int32_t dim = 0;
  size_t rows = 0;
  double weight_sum = 0;

  bool sparse() const { return features->type().id == TypeId::kSparseVector; }
  double weight(size_t i) const { return weights.empty() ? 1.0 : weights[i]; }
};

/// The schema checks every linear estimator makes before work: featuresCol
/// is a vector column, labelCol (and weightCol when set) numeric. Throws
/// SchemaError naming the stage and the column.
void RequireSupervisedInputs(const Stage& stage, const Schema& input);

/// Builds the design from named columns. Throws SchemaError for a missing or
/// non-vector features column or a non-numeric label/weight column, and
/// InvalidArgument naming `stage`, the column and the row for a null or NaN
/// label, a negative or non-finite weight, a NaN or infinite feature value,
/// or an empty input.
Design MakeDesign(const DataFrame& frame, const std::string& features_col, const std::string& label_col,
                  const std::string& weight_col, const std::string& stage, const Context& ctx);

/// Weighted mean and (unbiased, n - 1 style as Spark) standard deviation of
/// every feature.
struct FeatureStats {
  std::vector<double> mean;
  std::vector<double> std;
};
FeatureStats ComputeFeatureStats(const Design& design, const Context& ctx);

/// How the objectives map raw features to standardised ones: x_j -> (x_j -
/// mean_j) * inv_std_j. inv_std is 0 for constant features (they get no
/// coefficient); mean is all zeros when there is no intercept to absorb the
/// centring. Centring stays virtual, so sparse rows stay sparse.
struct Standardization {
  std::vector<double> mean;
  std::vector<double> inv_std;
  static Standardization Make(const FeatureStats& stats, bool fit_intercept);
};

}  // namespace ember
