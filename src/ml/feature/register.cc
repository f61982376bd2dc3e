#include "ml/feature/register.h"

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

}  // namespace

void RegisterFeatureStages(StageRegistry& registry) {
  AddTransformer<VectorAssembler>(registry, "concatenates numeric and vector columns into one vector column");
}

}  // namespace ember
