#include "ml/pipeline/artifact.h"

#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/hash.h"

namespace ember {

namespace fs = std::filesystem;

ArtifactWriter::ArtifactWriter(std::string dir) : dir_(std::move(dir)) {
  fs::create_directories(fs::path(dir_) / "data");
}

void ArtifactWriter::PutBytes(const std::string& name, const char* dtype, size_t count, const void* data,
                              size_t bytes) {
  EMBER_CHECK(!arrays_.contains(name), "array {} written twice", name);
  const std::string file = "data/" + name + ".bin";
  WriteFileAtomically((fs::path(dir_) / file).string(), std::string_view(static_cast<const char*>(data), bytes));
  arrays_[name] = {{"file", file}, {"dtype", dtype}, {"count", count}, {"xxhash64", HexDigest(Hash64(data, bytes))}};
}

void ArtifactWriter::PutDoubles(const std::string& name, std::span<const double> v) {
  PutBytes(name, "float64", v.size(), v.data(), v.size_bytes());
}
void ArtifactWriter::PutFloats(const std::string& name, std::span<const float> v) {
  PutBytes(name, "float32", v.size(), v.data(), v.size_bytes());
}
void ArtifactWriter::PutInt32s(const std::string& name, std::span<const int32_t> v) {
  PutBytes(name, "int32", v.size(), v.data(), v.size_bytes());
}
void ArtifactWriter::PutInt64s(const std::string& name, std::span<const int64_t> v) {
  PutBytes(name, "int64", v.size(), v.data(), v.size_bytes());
}

void ArtifactWriter::PutStrings(const std::string& name, const std::vector<std::string>& values) {
  // Layout: count x int64 end offsets, then the concatenated bytes.
  std::string bytes(values.size() * sizeof(int64_t), '\0');
  int64_t end = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    end += static_cast<int64_t>(values[i].size());
    std::memcpy(bytes.data() + i * sizeof(int64_t), &end, sizeof(int64_t));
  }
  for (const std::string& s : values) bytes += s;
  PutBytes(name, "string", values.size(), bytes.data(), bytes.size());
}

std::string ArtifactWriter::MakeSubdir(const std::string& name) {
  const fs::path p = fs::path(dir_) / name;
  fs::create_directories(p);
  return p.string();
}

ArtifactReader ArtifactReader::Open(const std::string& dir) {
  const fs::path meta = fs::path(dir) / "metadata.json";
  if (!fs::is_directory(dir)) throw NotFound(fmt::format("no saved stage at '{}': not a directory", dir));
  if (!fs::exists(meta)) {
    throw NotFound(fmt::format("'{}' is not a saved ember stage: it has no metadata.json", dir));
  }
  ArtifactReader r;
  r.dir_ = dir;
  const std::string text = ReadFileToString(meta.string());
  try {
    r.metadata_ = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw CorruptData(fmt::format("{}: invalid JSON ({})", meta.string(), e.what()));
  }
  const nlohmann::json& m = r.metadata_;
  if (!m.is_object() || !m.contains("class") || !m["class"].is_string() || !m.contains("formatVersion") ||
      !m["formatVersion"].is_number_integer() || !m.contains("uid") || !m["uid"].is_string()) {
    throw CorruptData(fmt::format("{}: missing or mistyped class, formatVersion or uid", meta.string()));
  }
  const int version = m["formatVersion"].get<int>();
  if (version > kStageFormatVersion) {
    throw CorruptData(fmt::format("{}: written by stage format version {}; this build reads up to {} (upgrade ember)",
                                  meta.string(), version, kStageFormatVersion));
  }
  if (version < 1) throw CorruptData(fmt::format("{}: invalid formatVersion {}", meta.string(), version));
  r.class_name_ = m["class"].get<std::string>();
  r.uid_ = m["uid"].get<std::string>();
  return r;
}

const nlohmann::json& ArtifactReader::extra() const {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  auto it = metadata_.find("extra");
  return it == metadata_.end() ? kEmpty : *it;
}

void ArtifactReader::ThrowBadExtra(const std::string& key) const {
  throw CorruptData(fmt::format("{}/metadata.json: extra value '{}' is missing or has the wrong type", dir_, key));
}

ParamMap ArtifactReader::Params(const ParamTable& table) const {
  ParamMap params(table);
  auto it = metadata_.find("paramMap");
  if (it == metadata_.end()) return params;
  try {
    params.SetFromJson(*it);
  } catch (const InvalidArgument& e) {
    throw CorruptData(fmt::format("{}/metadata.json: bad paramMap: {}", dir_, e.what()));
  }
  return params;
}

Schema ArtifactReader::InputSchema() const {
  auto it = metadata_.find("inputSchema");
  if (it == metadata_.end() || it->is_null()) return Schema();
  return SchemaFromJson(*it, dir_ + "/metadata.json");
}

std::vector<std::string> ArtifactReader::Stages() const {
  std::vector<std::string> out;
  auto it = metadata_.find("stages");
  if (it == metadata_.end()) return out;
  if (!it->is_array()) throw CorruptData(fmt::format("{}/metadata.json: 'stages' must be a list", dir_));
  for (const auto& s : *it) {
    if (!s.is_string() || s.get<std::string>().find("..") != std::string::npos) {
      throw CorruptData(fmt::format("{}/metadata.json: bad stage path {}", dir_, s.dump()));
    }
    out.push_back((fs::path(dir_) / s.get<std::string>()).string());
  }
  return out;
}

std::string ArtifactReader::ReadArray(const std::string& name, const char* dtype, size_t element_size,
                                      size_t* count) const {
  const std::string where = fmt::format("{}: array '{}'", dir_, name);
  auto arrays = metadata_.find("arrays");
  if (arrays == metadata_.end() || !arrays->is_object() || !arrays->contains(name)) {
    throw CorruptData(fmt::format("{} is not listed in metadata.json", where));
  }
  const nlohmann::json& a = (*arrays)[name];
  std::string file, type, digest;
  try {
    file = a.at("file").get<std::string>();
    type = a.at("dtype").get<std::string>();
    *count = a.at("count").get<size_t>();
    digest = a.at("xxhash64").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    throw CorruptData(fmt::format("{} has a malformed entry in metadata.json", where));
  }
  if (type != dtype) throw CorruptData(fmt::format("{} has dtype {}, expected {}", where, type, dtype));
  if (file.find("..") != std::string::npos) throw CorruptData(fmt::format("{} has a bad path '{}'", where, file));
  std::string bytes;
  try {
    bytes = ReadFileToString((fs::path(dir_) / file).string());
  } catch (const NotFound&) {
    throw CorruptData(fmt::format("{}: file {} is missing", where, file));
  }
  if (HexDigest(Hash64(bytes)) != digest) {
    throw CorruptData(fmt::format("{}: checksum mismatch in {} (the file is corrupted or truncated)", where, file));
  }
  if (element_size > 0 && bytes.size() != *count * element_size) {
    throw CorruptData(fmt::format("{}: {} holds {} bytes, expected {} x {}", where, file, bytes.size(), *count,
                                  element_size));
  }
  return bytes;
}

namespace {

template <class T>
std::vector<T> FromBytes(const std::string& bytes, size_t count) {
  std::vector<T> out(count);
  if (count > 0) std::memcpy(out.data(), bytes.data(), count * sizeof(T));
  return out;
}

}  // namespace

std::vector<double> ArtifactReader::GetDoubles(const std::string& name) const {
  size_t n = 0;
  const std::string b = ReadArray(name, "float64", sizeof(double), &n);
  return FromBytes<double>(b, n);
}
std::vector<float> ArtifactReader::GetFloats(const std::string& name) const {
  size_t n = 0;
  const std::string b = ReadArray(name, "float32", sizeof(float), &n);
  return FromBytes<float>(b, n);
}
std::vector<int32_t> ArtifactReader::GetInt32s(const std::string& name) const {
  size_t n = 0;
  const std::string b = ReadArray(name, "int32", sizeof(int32_t), &n);
  return FromBytes<int32_t>(b, n);
}
std::vector<int64_t> ArtifactReader::GetInt64s(const std::string& name) const {
  size_t n = 0;
  const std::string b = ReadArray(name, "int64", sizeof(int64_t), &n);
  return FromBytes<int64_t>(b, n);
}

std::vector<std::string> ArtifactReader::GetStrings(const std::string& name) const {
  size_t n = 0;
  const std::string b = ReadArray(name, "string", 0, &n);
  const size_t header = n * sizeof(int64_t);
  if (n > b.size() / sizeof(int64_t)) {
    throw CorruptData(fmt::format("{}: array '{}' is too short for {} strings", dir_, name, n));
  }
  std::vector<std::string> out;
  out.reserve(n);
  int64_t begin = 0;
  for (size_t i = 0; i < n; ++i) {
    int64_t end;
    std::memcpy(&end, b.data() + i * sizeof(int64_t), sizeof(int64_t));
    if (end < begin || header + static_cast<size_t>(end) > b.size()) {
      throw CorruptData(fmt::format("{}: array '{}' has bad string offsets", dir_, name));
    }
    out.emplace_back(b.data() + header + begin, static_cast<size_t>(end - begin));
    begin = end;
  }
  return out;
}

nlohmann::json SchemaToJson(const Schema& schema) {
  nlohmann::json out = nlohmann::json::array();
  for (const Field& f : schema.fields()) {
    out.push_back({{"name", f.name}, {"type", f.type.ToString()}, {"metadata", f.metadata}});
  }
  return out;
}

Schema SchemaFromJson(const nlohmann::json& json, const std::string& source) {
  std::vector<Field> fields;
  try {
    for (const auto& f : json) {
      Field field{f.at("name").get<std::string>(), DataType::Parse(f.at("type").get<std::string>()), {}};
      if (f.contains("metadata")) field.metadata = f["metadata"].get<std::map<std::string, std::string>>();
      fields.push_back(std::move(field));
    }
    return Schema::Make(std::move(fields));
  } catch (const nlohmann::json::exception& e) {
    throw CorruptData(fmt::format("{}: malformed schema ({})", source, e.what()));
  } catch (const Error& e) {
    throw CorruptData(fmt::format("{}: malformed schema ({})", source, e.what()));
  }
}

}  // namespace ember
