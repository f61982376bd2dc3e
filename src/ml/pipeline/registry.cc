#include "ml/pipeline/registry.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/strings.h"
#include "ml/pipeline/artifact.h"

namespace ember {

void StageRegistry::Register(StageType type) {
  EMBER_CHECK(!types_.count(type.name), "stage {} registered twice", type.name);
  EMBER_CHECK(type.params != nullptr, "stage {} has no param table", type.name);
  if (!type.load && type.make) {
    const ParamTable* table = type.params;
    type.load = [make = type.make, table](const ArtifactReader& r,
                                          const StageRegistry&) -> std::shared_ptr<const Stage> {
      return make(r.Params(*table), r.uid());
    };
  }
  types_.emplace(type.name, std::move(type));
}

const StageType* StageRegistry::Find(const std::string& name) const {
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : &it->second;
}

const StageType& StageRegistry::Get(const std::string& name) const {
  if (const StageType* t = Find(name)) return *t;
  const std::vector<std::string> all = names();
  throw NotFound(fmt::format("unknown stage '{}'{} (valid stages: {})", name, DidYouMean(name, all), Join(all)));
}

std::vector<std::string> StageRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, type] : types_) out.push_back(name);
  return out;
}

std::unique_ptr<Stage> StageRegistry::Make(const std::string& name, const nlohmann::json& params) const {
  const StageType& type = Get(name);
  if (!type.make) {
    throw InvalidArgument(fmt::format("'{}' is a fitted model; it is produced by fitting its estimator, not built "
                                      "from params", name));
  }
  ParamMap map(*type.params);
  if (!params.is_null()) map.SetFromJson(params);
  return type.make(std::move(map), MakeUid(name));
}

}  // namespace ember
