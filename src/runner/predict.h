// `ember predict`: scores a file with a saved PipelineModel, streaming it in
// row batches so memory stays bounded whatever the file's size. The output
// holds the input's columns plus `prediction` and, for classifiers, one
// `probability_<k>` column per class; intermediate columns (assembled
// features, rawPrediction) are left out.
#pragma once

#include <cstdint>
#include <string>

#include "core/context.h"
#include "ml/pipeline/pipeline.h"

namespace ember::runner {

struct PredictOptions {
  std::string model;   // a saved PipelineModel (or any saved model) directory
  std::string input;   // CSV, .csv.gz, .ember or LibSVM
  std::string output;  // CSV or .ember, by extension; written atomically
  size_t batch_rows = 65536;
};

struct PredictResult {
  int64_t rows = 0;
  double seconds = 0;
  /// From the call until the first batch was scored: what a stream's first
  /// prediction waits for (model load, file open, one batch).
  double first_batch_seconds = 0;
};

/// Throws SchemaError naming the missing or mistyped column when the input
/// does not fit the model's input schema, before any row is scored.
PredictResult Predict(const PredictOptions& options, const Context& ctx);

}  // namespace ember::runner
