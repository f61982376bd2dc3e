// libFuzzer target for loading saved stages: the input is split at the first
// NUL byte into metadata.json and the bytes of one array file (named by the
// metadata's first "arrays" entry, or data/a.bin); LoadStage must either load
// it or throw an ember::Error, never crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "ml/builtin/builtin_stages.h"
#include "ml/pipeline/persistence.h"

namespace {

const std::string& Dir() {
  static const std::string dir = [] {
    const std::string d = std::filesystem::temp_directory_path() / ("ember-loader-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d + "/data");
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t cut = input.find('\0');
  const std::string_view meta = input.substr(0, cut);
  const std::string_view array = cut == std::string_view::npos ? std::string_view() : input.substr(cut + 1);
  std::string file = "data/a.bin";
  try {
    const auto j = nlohmann::json::parse(meta);
    const auto& first = j.at("arrays").begin().value();
    const std::string f = first.at("file").get<std::string>();
    if (f.find("..") == std::string::npos && f.starts_with("data/") && f.find('/', 5) == std::string::npos) file = f;
  } catch (...) {
    // Unparseable metadata is the loader's to report.
  }
  std::error_code ec;
  std::filesystem::remove_all(Dir() + "/data", ec);
  std::filesystem::create_directories(Dir() + "/data");
  ember::WriteFileAtomically(Dir() + "/metadata.json", meta);
  ember::WriteFileAtomically(Dir() + "/" + file, array);
  try {
    ember::LoadStage(ember::BuiltinStages(), Dir());
  } catch (const ember::Error&) {
    // Expected for damaged input.
  }
  return 0;
}
