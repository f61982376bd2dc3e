// Private to src/track: the state behind TrackingStore, shared by the files
// that implement its parts (runs, registry).
#pragma once

#include <string>

#include "track/sqlite_db.h"
#include "track/tracking_store.h"

namespace ember::track {

/// Version of the schema this ember writes; a store with a higher one is
/// refused rather than misread.
inline constexpr int64_t kSchemaVersion = 1;

struct TrackingStore::Impl {
  std::string root;  // absolute
  Database db;

  std::string DbPath() const { return root + "/ember.db"; }
  std::string ArtifactsRoot() const { return root + "/artifacts"; }
  /// Throws NotFound when no run has exactly this id.
  void RequireRun(const std::string& run_id);
};

/// Milliseconds since the Unix epoch.
int64_t NowMs();

}  // namespace ember::track
