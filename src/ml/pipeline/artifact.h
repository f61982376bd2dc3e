// The on-disk form of a saved stage: a directory with metadata.json and
// data/ holding little-endian binary arrays, each with its element count and
// xxhash64 recorded in the metadata. Readers check everything before use.
//
// metadata.json: {"class", "formatVersion", "emberVersion", "uid",
//   "timestamp", "paramMap" (explicit), "defaultParamMap" (all values),
//   "inputSchema"/"outputSchema" (models: [{"name","type","metadata"}]),
//   "arrays": {name: {"file","dtype","count","xxhash64"}}, "extra": {...},
//   "stages": ["stages/000_uid", ...] (pipelines)}
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "frame/schema.h"
#include "ml/param/param.h"

namespace ember {

static_assert(std::endian::native == std::endian::little, "ember's binary formats assume a little-endian host");

/// Version of the stage directory layout this build writes and reads.
inline constexpr int kStageFormatVersion = 1;

/// Collects a stage's arrays and extra JSON into a directory being written.
class ArtifactWriter {
 public:
  /// REQUIRES: `dir` exists and is empty (the caller's temporary directory).
  explicit ArtifactWriter(std::string dir);

  void PutDoubles(const std::string& name, std::span<const double> values);
  void PutFloats(const std::string& name, std::span<const float> values);
  void PutInt32s(const std::string& name, std::span<const int32_t> values);
  void PutInt64s(const std::string& name, std::span<const int64_t> values);
  void PutStrings(const std::string& name, const std::vector<std::string>& values);
  /// Small stage-specific values (labels, sizes, flags).
  nlohmann::json& extra() { return extra_; }
  /// Creates and returns the path of a subdirectory (for nested stages).
  std::string MakeSubdir(const std::string& name);
  /// Records nested stage paths (relative to the directory), in order.
  void SetStages(std::vector<std::string> relative_paths) { stages_ = std::move(relative_paths); }

  const std::string& dir() const { return dir_; }
  const nlohmann::json& arrays() const { return arrays_; }
  const std::vector<std::string>& stages() const { return stages_; }

 private:
  void PutBytes(const std::string& name, const char* dtype, size_t count, const void* data, size_t bytes);
  std::string dir_;
  nlohmann::json arrays_ = nlohmann::json::object();
  nlohmann::json extra_ = nlohmann::json::object();
  std::vector<std::string> stages_;
};

/// Reads a saved stage directory. Every accessor validates what it reads and
/// throws CorruptData / NotFound naming the directory and the entry.
class ArtifactReader {
 public:
  /// Reads and checks metadata.json: present, valid JSON, the required keys,
  /// a formatVersion this build understands.
  static ArtifactReader Open(const std::string& dir);

  const std::string& dir() const { return dir_; }
  const std::string& class_name() const { return class_name_; }
  const std::string& uid() const { return uid_; }
  const nlohmann::json& metadata() const { return metadata_; }
  const nlohmann::json& extra() const;
  /// The explicit params, validated against `table` (so a tampered value
  /// fails like a bad user value would).
  ParamMap Params(const ParamTable& table) const;
  /// The recorded input schema of a model (empty schema when absent).
  Schema InputSchema() const;
  /// Absolute paths of nested stages.
  std::vector<std::string> Stages() const;

  std::vector<double> GetDoubles(const std::string& name) const;
  std::vector<float> GetFloats(const std::string& name) const;
  std::vector<int32_t> GetInt32s(const std::string& name) const;
  std::vector<int64_t> GetInt64s(const std::string& name) const;
  std::vector<std::string> GetStrings(const std::string& name) const;

  /// A value of extra() of the expected JSON kind; CorruptData otherwise.
  template <class T>
  T ExtraValue(const std::string& key) const {
    try {
      return extra().at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
      ThrowBadExtra(key);
    }
  }

 private:
  ArtifactReader() = default;
  std::string ReadArray(const std::string& name, const char* dtype, size_t element_size, size_t* count) const;
  [[noreturn]] void ThrowBadExtra(const std::string& key) const;

  std::string dir_;
  std::string class_name_;
  std::string uid_;
  nlohmann::json metadata_;
};

/// JSON of a schema: [{"name", "type", "metadata"}].
nlohmann::json SchemaToJson(const Schema& schema);
/// Inverse of SchemaToJson; throws CorruptData on a malformed value.
Schema SchemaFromJson(const nlohmann::json& json, const std::string& source);

}  // namespace ember
