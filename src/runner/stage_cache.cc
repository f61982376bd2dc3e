#include "runner/stage_cache.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "core/error.h"
#include "core/hash.h"
#include "io/ember_file.h"
#include "ml/pipeline/persistence.h"

namespace ember::runner {
namespace {

namespace fs = std::filesystem;

uint64_t DirectoryBytes(const fs::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

bool IsEntryName(const std::string& name) { return name.size() == 16 && name.find('.') == std::string::npos; }

}  // namespace

std::string ChainKey(const std::string& previous, const std::string& stage_class, const std::string& params_json) {
  const uint64_t h = Hash64(params_json, Hash64(stage_class, Hash64(previous)));
  return HexDigest(h);
}

std::optional<StageCache::Entry> StageCache::Lookup(const std::string& key, const StageRegistry& registry,
                                                    const Context& ctx) const {
  const fs::path entry = fs::path(dir_) / key;
  std::error_code ec;
  if (!fs::is_directory(entry, ec)) return std::nullopt;
  try {
    Entry out;
    out.stage = LoadStageAs<Transformer>(registry, (entry / "stage").string());
    out.output = ReadEmber((entry / "output.ember").string(), {}, ctx);
    fs::last_write_time(entry, fs::file_time_type::clock::now(), ec);  // recently used
    return out;
  } catch (const Error&) {
    fs::remove_all(entry, ec);
    return std::nullopt;
  }
}

bool StageCache::Store(const std::string& key, const Transformer& stage, const DataFrame& output,
                       const Context& ctx) const {
  const fs::path final_path = fs::path(dir_) / key;
  const fs::path temp = fs::path(dir_) / fmt::format("{}.tmp{}", key, getpid());
  std::error_code ec;
  try {
    fs::create_directories(temp);
    WriteStageDirectory(stage, (temp / "stage").string());
    WriteEmber(output, (temp / "output.ember").string(), {}, ctx);
    fs::remove_all(final_path, ec);
    fs::rename(temp, final_path);
  } catch (const std::exception&) {
    fs::remove_all(temp, ec);
    return false;
  }
  Evict();
  return true;
}

void StageCache::Evict() const {
  struct Item {
    fs::path path;
    fs::file_time_type used;
    uint64_t bytes;
  };
  std::vector<Item> items;
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    if (!e.is_directory() || !IsEntryName(e.path().filename().string())) continue;
    Item item{e.path(), fs::last_write_time(e.path(), ec), DirectoryBytes(e.path())};
    total += item.bytes;
    items.push_back(std::move(item));
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.used < b.used; });
  for (const Item& item : items) {
    if (total <= max_bytes_) break;
    fs::remove_all(item.path, ec);
    total -= item.bytes;
  }
}

uint64_t StageCache::Clear() const {
  const uint64_t bytes = SizeBytes();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_, ec)) fs::remove_all(e.path(), ec);
  return bytes;
}

uint64_t StageCache::SizeBytes() const {
  std::error_code ec;
  return fs::exists(dir_, ec) ? DirectoryBytes(dir_) : 0;
}

}  // namespace ember::runner
