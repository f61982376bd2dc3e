#include "ml/feature/register_text.h"

#include "ml/feature/count_vectorizer.h"
#include "ml/feature/expression_stage.h"
#include "ml/feature/feature_hasher.h"
#include "ml/feature/hashing_tf.h"
#include "ml/feature/idf.h"
#include "ml/feature/interaction.h"
#include "ml/feature/ngram.h"
#include "ml/feature/polynomial_expansion.h"
#include "ml/feature/stop_words.h"
#include "ml/feature/target_encoder.h"
#include "ml/feature/tokenizers.h"
#include "ml/feature/vector_slicer.h"

namespace ember {

namespace {

// A transformer or estimator built by its constructor from params.
template <class T>
StageType Simple(StageKind kind, std::string doc) {
  return {.name = T::Params().stage_name(),
          .kind = kind,
          .params = &T::Params(),
          .make = [](ParamMap p, std::string uid) -> std::unique_ptr<Stage> {
            return std::make_unique<T>(std::move(p), std::move(uid));
          },
          .doc = std::move(doc)};
}

// A stage whose static Make validates more than the params (a pattern, an expression).
template <class T>
StageType Validated(StageKind kind, std::string doc) {
  return {.name = T::Params().stage_name(),
          .kind = kind,
          .params = &T::Params(),
          .make = [](ParamMap p, std::string uid) -> std::unique_ptr<Stage> {
            return T::Make(std::move(p), std::move(uid));
          },
          .doc = std::move(doc)};
}

// A fitted model, loaded by its static Load.
template <class T>
StageType Fitted(std::string doc) {
  return {.name = T::Params().stage_name(),
          .kind = StageKind::kModel,
          .params = &T::Params(),
          .load = &T::Load,
          .doc = std::move(doc)};
}

}  // namespace

void RegisterDerivedAndTextStages(StageRegistry& registry) {
  using K = StageKind;
  registry.Register(Validated<ExpressionStage>(K::kTransformer, "a float64 column computed by an arithmetic expression"));
  registry.Register(Simple<PolynomialExpansion>(K::kTransformer, "all monomials of a vector up to a degree"));
  registry.Register(Simple<Interaction>(K::kTransformer, "products of one value from each input column"));
  registry.Register(Simple<VectorSlicer>(K::kTransformer, "selects features of a vector by index or name"));
  registry.Register(Simple<TargetEncoder>(K::kEstimator, "encodes category indices by label statistics"));
  registry.Register(Fitted<TargetEncoderModel>("replaces category indices by fitted label statistics"));
  registry.Register(Simple<FeatureHasher>(K::kTransformer, "hashes columns into a sparse vector (Spark's murmur3)"));
  registry.Register(Simple<Tokenizer>(K::kTransformer, "lowercases and splits text on whitespace"));
  registry.Register(Validated<RegexTokenizer>(K::kTransformer, "splits text by a regular expression"));
  registry.Register(Simple<StopWordsRemover>(K::kTransformer, "drops stop words from token lists"));
  registry.Register(Simple<NGram>(K::kTransformer, "n-grams of token lists"));
  registry.Register(Simple<HashingTF>(K::kTransformer, "term frequencies at hashed indices (Spark's murmur3)"));
  registry.Register(Simple<CountVectorizer>(K::kEstimator, "learns a vocabulary; maps documents to term counts"));
  registry.Register(Fitted<CountVectorizerModel>("term counts over a fitted vocabulary"));
  registry.Register(Simple<IDF>(K::kEstimator, "fits inverse document frequencies log((m+1)/(df+1))"));
  registry.Register(Fitted<IDFModel>("scales term frequencies by fitted idf weights"));
}

}  // namespace ember
