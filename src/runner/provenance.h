// Where a run came from beyond its data: the git commit (and whether the
// working tree had uncommitted changes) of the repository holding the spec,
// and the host. Recorded as run tags.
#pragma once

#include <string>

namespace ember::runner {

struct Provenance {
  std::string git_commit;  // empty when the spec is not inside a git repository
  bool git_dirty = false;
  std::string host;
};

/// Never throws: a missing git binary or repository leaves git_commit empty.
Provenance DetectProvenance(const std::string& spec_path);

}  // namespace ember::runner
