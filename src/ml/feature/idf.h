// IDF and IDFModel (Spark's names, params and formula): inverse document
// frequency weights fitted on term-frequency vectors.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// Fits idf[j] = log((m + 1) / (df[j] + 1)) where m is the number of
/// (non-null) documents and df[j] the number with a value > 0 at j; terms
/// with df < minDocFreq get idf 0. This is scikit-learn's smooth_idf=True
/// idf minus 1 (sklearn adds 1 so terms in every document keep weight).
class IDF final : public Estimator {
 public:
  /// inputCol (vector), outputCol, minDocFreq (0).
  static const ParamTable& Params();
  IDF(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}

  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
};

/// Multiplies each vector elementwise by idf (dense stays dense, sparse
/// keeps its entries). Immutable; Transform is thread-safe.
class IDFModel final : public Model {
 public:
  static const ParamTable& Params();
  /// REQUIRES: doc_freq.size() == idf.size().
  IDFModel(ParamMap params, std::string uid, Schema input_schema, std::vector<double> idf,
           std::vector<int64_t> doc_freq, int64_t num_docs);
  /// Loads a saved model; CorruptData when the arrays disagree.
  static std::shared_ptr<const Stage> Load(const ArtifactReader& reader, const StageRegistry& registry);

  const std::vector<double>& idf() const { return idf_; }
  const std::vector<int64_t>& doc_freq() const { return doc_freq_; }
  int64_t num_docs() const { return num_docs_; }

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;

 private:
  std::vector<double> idf_;
  std::vector<int64_t> doc_freq_;
  int64_t num_docs_;
};

}  // namespace ember
