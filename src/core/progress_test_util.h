// A progress sink for tests: records every finished task.
#pragma once

#include <mutex>
#include <vector>

#include "core/context.h"
#include "core/progress.h"

namespace ember {

/// A two-thread context whose sink records every finished task.
struct ProgressRecorder {
  std::mutex mutex;
  std::vector<ProgressReport> tasks;
  Context ctx = Context::Default(2).WithProgress(ProgressSink::Observed([this](const ProgressReport& r) {
    std::lock_guard lock(mutex);
    tasks.push_back(r);
  }));
};

}  // namespace ember
