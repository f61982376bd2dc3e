// The explicit registry of stage types by Spark name. Built-in stages are
// added by RegisterBuiltinStages (one call, at start-up); nothing registers
// itself through static initialisation.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ml/pipeline/stage.h"

namespace ember {

class ArtifactReader;
class StageRegistry;

enum class StageKind { kTransformer, kEstimator, kModel };

/// How to build and load one stage type.
struct StageType {
  std::string name;
  StageKind kind = StageKind::kTransformer;
  const ParamTable* params = nullptr;
  /// Builds an unfitted stage from params (transformers and estimators).
  std::function<std::unique_ptr<Stage>(ParamMap params, std::string uid)> make;
  /// Loads a saved stage; by default stages with a `make` are rebuilt from
  /// their saved params.
  std::function<std::shared_ptr<const Stage>(const ArtifactReader& reader, const StageRegistry& registry)> load;
  /// One-line description for `ember describe`.
  std::string doc;
};

class StageRegistry {
 public:
  /// REQUIRES: the name is not registered yet.
  void Register(StageType type);
  const StageType* Find(const std::string& name) const;
  /// Throws NotFound "unknown stage 'X'; did you mean 'Y'? (valid stages: ...)".
  const StageType& Get(const std::string& name) const;
  std::vector<std::string> names() const;

  /// A new unfitted stage of type `name` with params set from a JSON object.
  std::unique_ptr<Stage> Make(const std::string& name, const nlohmann::json& params) const;

 private:
  std::map<std::string, StageType> types_;
};

}  // namespace ember
