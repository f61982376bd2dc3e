#include "ml/feature/register.h"

#include "ml/feature/binarizer_normalizer.h"
#include "ml/feature/bucketizer.h"
#include "ml/feature/imputer.h"
#include "ml/feature/one_hot_encoder.h"
#include "ml/feature/register_text.h"
#include "ml/feature/robust_scaler.h"
#include "ml/feature/scalers.h"
#include "ml/feature/string_indexer.h"
#include "ml/feature/vector_assembler.h"

namespace ember {
namespace {

template <class T>
void AddTransformer(StageRegistry& registry, std::string doc) {
  registry.Register({.name = T::Params().stage_name(),
                     .kind = StageKind::kTransformer,
                     .params = &T::Params(),
                     .make = [](ParamMap p, std::string uid) -> std::unique_ptr<Stage> {
                       return std::make_unique<T>(std::move(p), std::move(uid));
                     },
                     .doc = std::move(doc)});
}

// An estimator alone (its model type is registered separately).
template <class E>
void AddEstimatorAlone(StageRegistry& registry, std::string doc) {
  registry.Register({.name = E::Params().stage_name(),
                     .kind = StageKind::kEstimator,
                     .params = &E::Params(),
                     .make = [](ParamMap p, std::string uid) -> std::unique_ptr<Stage> {
                       return std::make_unique<E>(std::move(p), std::move(uid));
                     },
                     .doc = std::move(doc)});
}

// An estimator E and its model M (which provides a static Load).
template <class E, class M>
void AddEstimator(StageRegistry& registry, std::string doc) {
  AddEstimatorAlone<E>(registry, doc);
  registry.Register({.name = M::Params().stage_name(),
                     .kind = StageKind::kModel,
                     .params = &M::Params(),
                     .load = &M::Load,
                     .doc = "fitted " + E::Params().stage_name() + ": " + doc});
}

}  // namespace

void RegisterFeatureStages(StageRegistry& registry) {
  AddTransformer<VectorAssembler>(registry, "concatenates numeric and vector columns into one vector column");
  AddEstimator<StringIndexer, StringIndexerModel>(registry, "maps string labels to indices ordered by frequency");
  AddTransformer<IndexToString>(registry, "maps label indices back to their strings");
  AddEstimator<OneHotEncoder, OneHotEncoderModel>(registry, "encodes category indices as sparse one-hot vectors");
  AddEstimator<StandardScaler, StandardScalerModel>(registry, "scales vector features to unit standard deviation");
  AddEstimator<MinMaxScaler, MinMaxScalerModel>(registry, "rescales vector features to [min, max]");
  AddEstimator<MaxAbsScaler, MaxAbsScalerModel>(registry, "scales vector features to [-1, 1] by their max |x|");
  AddEstimator<RobustScaler, RobustScalerModel>(registry, "scales vector features by a quantile range");
  AddEstimator<Imputer, ImputerModel>(registry, "fills missing values with the column's mean, median or mode");
  // Bucketizer is a Model (QuantileDiscretizer fits one) that can also be built from params.
  registry.Register({.name = "Bucketizer",
                     .kind = StageKind::kTransformer,
                     .params = &Bucketizer::Params(),
                     .make = [](ParamMap p, std::string uid) -> std::unique_ptr<Stage> {
                       return std::make_unique<Bucketizer>(std::move(p), std::move(uid));
                     },
                     .load = &Bucketizer::Load,
                     .doc = "maps numeric values to bucket indices by given splits"});
  AddEstimatorAlone<QuantileDiscretizer>(registry, "fits Bucketizer splits at quantiles of the data");
  AddTransformer<Binarizer>(registry, "thresholds numeric or vector values to 0/1");
  AddTransformer<Normalizer>(registry, "scales each vector to unit p-norm");
  RegisterDerivedAndTextStages(registry);
}

}  // namespace ember
