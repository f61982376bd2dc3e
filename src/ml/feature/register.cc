#include "ml/feature/register.h"

#include "ml/feature/one_hot_encoder.h"
#include "ml/feature/register_text.h"
#include "ml/feature/string_indexer.h"
#include "ml/feature/vector_assembler.h"

namespace ember {
namespace {

template <class T>
void AddTransformer(StageRegistry& registry, std::string doc) {
  registry.Register({.name = T::Params().stage_name(), .kind = StageKind::kTransformer, .params = &T::Params(),
                     .make = [](ParamMap p, std::string uid) -> std::unique_ptr<Stage> {
                       return std::make_unique<T>(std::move(p), std::move(uid));
                     },
                     .doc = std::move(doc)});
}

// An estimator E and its model M (which provides a static Load).
template <class E, class M>
void AddEstimator(StageRegistry& registry, std::string doc) {
  registry.Register({.name = E::Params().stage_name(), .kind = StageKind::kEstimator, .params = &E::Params(),
                     .make = [](ParamMap p, std::string uid) -> std::unique_ptr<Stage> {
                       return std::make_unique<E>(std::move(p), std::move(uid));
                     },
                     .doc = doc});
  registry.Register({.name = M::Params().stage_name(), .kind = StageKind::kModel, .params = &M::Params(),
                     .load = &M::Load, .doc = "fitted " + E::Params().stage_name() + ": " + doc});
}

}  // namespace

void RegisterFeatureStages(StageRegistry& registry) {
  AddTransformer<VectorAssembler>(registry, "concatenates numeric and vector columns into one vector column");
  AddEstimator<StringIndexer, StringIndexerModel>(registry, "maps string labels to indices ordered by frequency");
  AddTransformer<IndexToString>(registry, "maps label indices back to their strings");
  AddEstimator<OneHotEncoder, OneHotEncoderModel>(registry, "encodes category indices as sparse one-hot vectors");
  RegisterDerivedAndTextStages(registry);
}

}  // namespace ember
