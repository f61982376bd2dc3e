// save() and load() of stages, models and pipelines as directories (layout
// in artifact.h). Saving is atomic: the directory is written beside the
// target under a temporary name and swapped into place in one rename.
#pragma once

#include <memory>
#include <string>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "core/error.h"
#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

enum class SaveMode {
  kErrorIfExists,  // refuse to replace an existing path (the default, as Spark's save())
  kOverwrite,      // replace it atomically (Spark's write().overwrite())
};

/// Saves `stage` to `dir`. Throws IoError when `dir` exists and mode is
/// kErrorIfExists, or when the file system refuses; nothing is left at `dir`
/// unless the whole save succeeded.
void SaveStage(const Stage& stage, const std::string& dir, SaveMode mode = SaveMode::kErrorIfExists);

/// Writes `stage` (metadata.json, data/, nested stages) into an existing
/// empty directory; the building block of SaveStage and of pipelines.
void WriteStageDirectory(const Stage& stage, const std::string& dir);

/// Loads any saved stage. Throws NotFound / CorruptData naming the directory
/// for a missing, truncated, corrupted, unknown-class or newer-format save.
std::shared_ptr<const Stage> LoadStage(const StageRegistry& registry, const std::string& dir);

/// Loads a stage that must be a T (for example PipelineModel or Model).
template <class T>
std::shared_ptr<const T> LoadStageAs(const StageRegistry& registry, const std::string& dir) {
  std::shared_ptr<const Stage> stage = LoadStage(registry, dir);
  auto typed = std::dynamic_pointer_cast<const T>(stage);
  if (!typed) {
    throw InvalidArgument(fmt::format("'{}' holds a {}, which is not the kind of stage expected here", dir,
                                      stage->class_name()));
  }
  return typed;
}

}  // namespace ember
