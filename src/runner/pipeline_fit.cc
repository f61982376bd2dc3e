#include "runner/pipeline_fit.h"

#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/hash.h"
#include "ml/builtin/builtin_stages.h"

namespace ember::runner {
namespace {

using Clock = std::chrono::steady_clock;

bool IsRegressor(const std::string& name) {
  return name == "LinearRegression" || (name.size() > 9 && name.ends_with("Regressor"));
}

}  // namespace

bool IsRegression(const RunSpec& spec) {
  const StageRegistry& registry = BuiltinStages();
  for (auto it = spec.pipeline.rbegin(); it != spec.pipeline.rend(); ++it) {
    if (registry.Get(it->stage).kind == StageKind::kEstimator &&
        registry.Get(it->stage).params->Find("predictionCol") != nullptr) {
      return IsRegressor(it->stage);
    }
  }
  return false;
}

std::vector<BuiltStage> BuildStages(const RunSpec& spec, const Schema& input, uint64_t seed) {
  const StageRegistry& registry = BuiltinStages();
  std::vector<BuiltStage> built;
  Schema schema = input;
  for (size_t i = 0; i < spec.pipeline.size(); ++i) {
    const StageSpec& s = spec.pipeline[i];
    const StageType& type = registry.Get(s.stage);
    nlohmann::json params = s.params;
    auto fill = [&](const char* name, const nlohmann::json& value) {
      if (type.params->Find(name) != nullptr && !params.contains(name)) params[name] = value;
    };
    if (type.kind == StageKind::kEstimator) {
      fill("labelCol", spec.label.column);
      if (!spec.weight.empty()) fill("weightCol", spec.weight);
      fill("seed", static_cast<int64_t>(seed & 0x7fffffffffffffffULL));
    }
    ParamMap map(*type.params);
    std::unique_ptr<Stage> stage;
    try {
      map.SetFromJson(params);
      const std::string canonical = params.dump();
      const std::string uid = fmt::format("{}_{}", s.stage, HexDigest(Hash64(canonical, i)).substr(0, 12));
      stage = type.make(std::move(map), uid);
      schema = stage->TransformSchema(schema);
      built.push_back({std::shared_ptr<const Stage>(std::move(stage)), canonical, s.location});
    } catch (const Error& e) {
      throw SchemaError(fmt::format("{}: pipeline stage {} ({}): {}", s.location.ToString(), i, s.stage, e.what()));
    }
  }
  return built;
}

FitResult FitStages(const std::vector<BuiltStage>& stages, const DataFrame& train, const std::string& input_key,
                    const StageCache* cache, const std::function<void(size_t, const StageOutcome&)>& on_stage,
                    const Context& ctx) {
  const StageRegistry& registry = BuiltinStages();
  FitResult result;
  DataFrame current = train;
  std::string key = input_key;
  std::vector<TransformerPtr> fitted;
  for (size_t i = 0; i < stages.size(); ++i) {
    const Stage& stage = *stages[i].stage;
    key = ChainKey(key, stage.class_name(), stages[i].params_json);
    const auto start = Clock::now();
    StageOutcome outcome{stage.class_name(), false, 0};
    TransformerPtr transformer;
    if (cache != nullptr) {
      if (auto entry = cache->Lookup(key, registry, ctx)) {
        transformer = entry->stage;
        current = entry->output;
        outcome.reused = true;
      }
    }
    if (!outcome.reused) {
      if (const auto* estimator = dynamic_cast<const Estimator*>(&stage)) {
        transformer = estimator->Fit(current, ctx);
      } else {
        transformer = std::dynamic_pointer_cast<const Transformer>(stages[i].stage);
        if (!transformer) throw InternalError(fmt::format("stage {} is neither transformer nor estimator", i));
      }
      current = transformer->Transform(current, ctx);
      if (cache != nullptr) cache->Store(key, *transformer, current, ctx);
    }
    outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    fitted.push_back(transformer);
    result.stages.push_back(outcome);
    if (on_stage) on_stage(i, outcome);
  }
  result.model = std::make_shared<const PipelineModel>(
      fitted, fmt::format("PipelineModel_{}", key.substr(0, 12)), train.schema());
  result.train_output = std::move(current);
  return result;
}

}  // namespace ember::runner
