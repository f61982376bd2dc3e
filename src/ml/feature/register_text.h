// Registration of the derived-feature and text stages (PolynomialExpansion,
// Interaction, FeatureHasher, VectorSlicer, TargetEncoder, Expression,
// Tokenizer, RegexTokenizer, StopWordsRemover, NGram, HashingTF,
// CountVectorizer, IDF and their models). Called from RegisterFeatureStages.
#pragma once

#include "ml/pipeline/registry.h"

namespace ember {

/// Adds the stages above to `registry`. REQUIRES: none of them is registered yet.
void RegisterDerivedAndTextStages(StageRegistry& registry);

}  // namespace ember
