#include "ml/pipeline/persistence.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/random.h"
#include "core/version.h"
#include "ml/pipeline/artifact.h"

namespace ember {

namespace fs = std::filesystem;

namespace {

std::string UtcTimestamp() {
  const auto now = std::chrono::system_clock::now();
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(now));
}

std::string SiblingName(const fs::path& dir, std::string_view what) {
  static std::atomic<uint64_t> counter{0};
  return (dir.parent_path() / fmt::format(".{}.{}-{}-{}", dir.filename().string(), what, ::getpid(), counter++))
      .string();
}

}  // namespace

void WriteStageDirectory(const Stage& stage, const std::string& dir) {
  ArtifactWriter writer(dir);
  stage.SaveData(writer);
  nlohmann::json meta = {
      {"class", stage.class_name()},
      {"formatVersion", kStageFormatVersion},
      {"emberVersion", kVersion},
      {"uid", stage.uid()},
      {"timestamp", UtcTimestamp()},
      {"paramMap", stage.params().ExplicitToJson()},
      {"defaultParamMap", stage.params().AllToJson()},
      {"arrays", writer.arrays()},
      {"extra", writer.extra()},
  };
  if (!writer.stages().empty()) meta["stages"] = writer.stages();
  if (const auto* model = dynamic_cast<const Model*>(&stage); model != nullptr && model->input_schema().size() > 0) {
    meta["inputSchema"] = SchemaToJson(model->input_schema());
    meta["outputSchema"] = SchemaToJson(model->TransformSchema(model->input_schema()));
  }
  WriteFileAtomically((fs::path(dir) / "metadata.json").string(), meta.dump(1));
}

void SaveStage(const Stage& stage, const std::string& dir, SaveMode mode) {
  const fs::path target = fs::absolute(dir).lexically_normal();
  const bool exists = fs::exists(target);
  if (exists && mode == SaveMode::kErrorIfExists) {
    throw IoError(fmt::format("cannot save to '{}': it already exists (use overwrite to replace it)", dir));
  }
  if (!fs::is_directory(target.parent_path())) {
    throw NotFound(fmt::format("cannot save to '{}': directory '{}' does not exist", dir,
                               target.parent_path().string()));
  }
  const std::string temp = SiblingName(target, "tmp");
  std::error_code ec;
  try {
    fs::create_directory(temp);
    WriteStageDirectory(stage, temp);
  } catch (...) {
    fs::remove_all(temp, ec);
    throw;
  }
  if (exists) {
    // Swap the complete new directory with the old one in one step, then
    // delete the old one: readers see either the old or the new save.
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
      fs::remove_all(temp, ec);
      ThrowErrno("cannot replace", target.string());
    }
    fs::remove_all(temp, ec);
  } else if (::rename(temp.c_str(), target.c_str()) != 0) {
    fs::remove_all(temp, ec);
    ThrowErrno("cannot save to", target.string());
  }
}

std::shared_ptr<const Stage> LoadStage(const StageRegistry& registry, const std::string& dir) {
  const ArtifactReader reader = ArtifactReader::Open(dir);
  const StageType* type = registry.Find(reader.class_name());
  if (type == nullptr || !type->load) {
    throw CorruptData(fmt::format("'{}' holds an unknown stage class '{}'", dir, reader.class_name()));
  }
  try {
    return type->load(reader, registry);
  } catch (const CorruptData&) {
    throw;
  } catch (const NotFound&) {
    throw;
  } catch (const Error& e) {
    throw CorruptData(fmt::format("cannot load '{}' ({}): {}", dir, reader.class_name(), e.what()));
  }
}

}  // namespace ember
