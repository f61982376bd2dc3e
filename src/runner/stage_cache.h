// The persisted prefixes of a pipeline fit, so that a re-run resumes: after
// stage k of a pipeline is fitted, the fitted stage and the training frame
// it produced are stored under a key that hashes the training input, the
// label and split settings, and stages 0..k with their params. A re-run with
// the same inputs and an unchanged prefix loads instead of refitting; a
// change anywhere invalidates that stage and every later one. The cache is
// bounded in bytes: least recently used entries are evicted.
//
// Layout: DIR/<key>/stage/ (a saved stage, ml/pipeline persistence) and
// DIR/<key>/output.ember; entries are written beside and renamed into place,
// so a crash never leaves a half entry under its final name.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/context.h"
#include "frame/dataframe.h"
#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember::runner {

/// The default bound of a cache: 4 GiB.
inline constexpr uint64_t kDefaultCacheBytes = uint64_t{4} << 30;

class StageCache {
 public:
  /// A cache rooted at `dir` (created on first store).
  StageCache(std::string dir, uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {}

  struct Entry {
    std::shared_ptr<const Transformer> stage;
    DataFrame output;
  };

  /// The entry for `key`, marking it recently used; nullopt when absent or
  /// unreadable (a damaged entry is removed and treated as a miss).
  std::optional<Entry> Lookup(const std::string& key, const StageRegistry& registry, const Context& ctx) const;

  /// Stores an entry (replacing any), then evicts the least recently used
  /// entries beyond the byte bound. Failures to store (a full disk) are
  /// reported by the return value, never thrown: the cache is an optimisation.
  bool Store(const std::string& key, const Transformer& stage, const DataFrame& output, const Context& ctx) const;

  /// Removes every entry; returns the bytes freed.
  uint64_t Clear() const;
  /// Bytes held by all entries.
  uint64_t SizeBytes() const;

  const std::string& dir() const { return dir_; }

 private:
  void Evict() const;

  std::string dir_;
  uint64_t max_bytes_;
};

/// The key of a prefix: hash of the previous key and one stage's class and
/// canonical params (16 hex digits).
std::string ChainKey(const std::string& previous, const std::string& stage_class, const std::string& params_json);

}  // namespace ember::runner
