// A fitted ensemble of trees as the models keep it: the trees' flat arrays,
// how their outputs combine, batched prediction over row blocks, feature
// importances, debug text and save/load as pipeline artifact arrays.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/context.h"
#include "frame/column.h"
#include "ml/pipeline/artifact.h"
#include "ml/tree/tree.h"

namespace ember {

enum class EnsembleCombine {
  kSum,      // raw = init + sum of tree outputs (boosting; class votes)
  kAverage,  // raw = init + mean of tree outputs (random forest regression)
};

/// Immutable after fitting; Predict is thread-safe.
struct TreeEnsemble {
  int num_features = 0;
  /// Outputs per row (K). Every tree has K outputs, or 1 output added to
  /// slot tree_output[t] (one tree per class and round, softmax boosting).
  int num_outputs = 1;
  std::vector<double> init;  // num_outputs values added to every row
  EnsembleCombine combine = EnsembleCombine::kSum;
  std::vector<Tree> trees;
  std::vector<int32_t> tree_output;  // per tree: output slot, or -1 for all K

  /// raw[i * K + k] for every row of a dense or sparse vector column of
  /// num_features features, computed chunk by chunk in parallel; each chunk
  /// goes in blocks of kCompleteBlockRows rows that every tree walks in turn
  /// (complete layouts where trees have them: no per-row allocation or
  /// dispatch).
  /// REQUIRES: raw.size() == rows * K.
  void Predict(const Column& features, std::span<double> raw, const Context& ctx) const;

  /// raw[k] for one dense row x of num_features values: the single-row path
  /// (serving), no allocation and no thread hand-off.
  /// REQUIRES: x.size() == num_features, raw.size() == num_outputs.
  void PredictRow(std::span<const float> x, std::span<double> raw) const;

  /// Spark's featureImportances: per tree, each feature's summed split loss
  /// reduction normalised to 1; summed over trees and normalised to 1.
  std::vector<double> FeatureImportances() const;

  /// "TreeEnsemble with N trees" then every tree's If/Else text.
  std::string ToDebugString(const std::string& title) const;

  /// The trees as traversal reads them: 16-byte nodes, one load per step,
  /// and the complete layouts of shallow trees (defined in tree_ensemble.cc).
  struct Packed;
  /// The packed trees, built on first use and kept for later calls (the
  /// serving path must not rebuild them per row); rebuilt when `trees`
  /// changed size or node count since. Thread-safe.
  std::shared_ptr<const Packed> packed() const;

  /// Writes the arrays and extra keys of the ensemble.
  void Save(ArtifactWriter& writer) const;
  /// Reads and validates what Save wrote (child indices, features and sizes
  /// are checked so a damaged file cannot send traversal out of bounds).
  static TreeEnsemble Load(const ArtifactReader& reader);

 private:
  struct PackCache {
    std::mutex mutex;
    std::shared_ptr<const Packed> packed;
  };
  std::shared_ptr<PackCache> pack_cache_ = std::make_shared<PackCache>();
};

}  // namespace ember
