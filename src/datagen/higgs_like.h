// Seeded synthetic data shaped like the HIGGS benchmark: 28 float32 physics
// features (skewed, gaussian, uniform angles, small-integer b-tags, invariant
// masses) and a label from a nonlinear model that trees can fit and a linear
// model only partly. The generating model is stated in docs/datagen.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.h"
#include "frame/dataframe.h"

namespace ember {

enum class SyntheticTask {
  kBinary,      // label in {0, 1}: Bernoulli(sigmoid(z))
  kRegression,  // label = z + gaussian noise (float32)
  kMulticlass,  // label in {0, 1, 2, 3}: z + logistic noise cut at fixed thresholds
};

/// Parses "binary", "regression", "multiclass"; throws InvalidArgument.
SyntheticTask ParseSyntheticTask(std::string_view name);

struct SyntheticOptions {
  SyntheticTask task = SyntheticTask::kBinary;
  uint64_t seed = 42;
  /// Fraction of NaN cells in the columns that HIGGS leaves missing most
  /// (met, m_jj, m_bb get 0.6x, 1x and 1.4x this rate); 0 = no missing values.
  double missing_rate = 0.0;
};

/// Names of the 28 feature columns, in order (the label column is "label", first).
const std::vector<std::string>& SyntheticFeatureNames();

/// Rows [first_row, first_row + rows) of the dataset defined by `options`.
/// Row i depends only on (seed, i): any batching and any thread count give
/// the same rows, and a smaller dataset is a prefix of a larger one.
/// Columns: label (int32, or float32 for regression), then 28 float32 features.
DataFrame GenerateSynthetic(uint64_t first_row, size_t rows, const SyntheticOptions& options, const Context& ctx);

}  // namespace ember
