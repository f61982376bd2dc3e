// CountVectorizer and CountVectorizerModel (Spark's names, params and
// defaults): learn a vocabulary from token lists and map documents to
// term-count sparse vectors over it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// Fit counts, for every term, its total occurrences and the number of
/// documents holding it (df); keeps terms with minDF <= df <= maxDF (values
/// >= 1 are document counts, values < 1 fractions of the non-null documents)
/// and takes the vocabSize terms of highest total count, ties broken by the
/// term's bytes in ascending order (Spark leaves ties unordered). An empty
/// vocabulary is an InvalidArgument, as in Spark.
class CountVectorizer final : public Estimator {
 public:
  /// inputCol (token list), outputCol, vocabSize (262144), minDF (1.0),
  /// maxDF (2^63 - 1), minTF (1.0), binary (false).
  static const ParamTable& Params();
  CountVectorizer(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}

  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
};

/// Counts each document's vocabulary terms; a count below minTF (>= 1: a
/// count; < 1: a fraction of the document's token count, out-of-vocabulary
/// tokens included) is dropped; binary=true stores 1 for kept terms. A null
/// document gives a null vector. Immutable; Transform is thread-safe.
class CountVectorizerModel final : public Model {
 public:
  static const ParamTable& Params();
  /// REQUIRES: vocabulary terms are distinct.
  CountVectorizerModel(ParamMap params, std::string uid, Schema input_schema, std::vector<std::string> vocabulary);
  /// Loads a saved model; CorruptData for an empty or duplicated vocabulary.
  static std::shared_ptr<const Stage> Load(const ArtifactReader& reader, const StageRegistry& registry);

  const std::vector<std::string>& vocabulary() const { return vocabulary_; }

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;

 private:
  struct TermHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> vocabulary_;
  std::unordered_map<std::string, int32_t, TermHash, std::equal_to<>> index_;
};

}  // namespace ember
