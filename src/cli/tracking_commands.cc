// `ember runs ...` and `ember models ...`: the tracking store and the model
// registry on the command line (see docs/tracking.md).
#include <CLI/CLI.hpp>

#include "cli/app.h"

namespace ember::cli {

void RegisterTrackingCommands(CLI::App& app, std::function<void(Action)> on_run) {}

}  // namespace ember::cli
