// The `ember` command line: global options, subcommand registry, and the one
// place where errors become a single line on stderr and an exit code.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/context.h"

namespace CLI {
class App;
}

namespace ember::cli {

/// Options every subcommand sees.
struct GlobalOptions {
  int threads = 0;
  bool quiet = false;
  uint64_t seed = 42;

  Context MakeContext() const;
};

/// A subcommand's action, run after parsing with the global options.
using Action = std::function<void(const GlobalOptions&)>;

/// Adds subcommands to `app`; each returns its actions through `on_run`.
void RegisterDataCommands(CLI::App& app, std::function<void(Action)> on_run);
void RegisterDatagenCommand(CLI::App& app, std::function<void(Action)> on_run);
void RegisterTrackingCommands(CLI::App& app, std::function<void(Action)> on_run);
void RegisterRunCommands(CLI::App& app, std::function<void(Action)> on_run);

/// Parses argv, runs the chosen subcommand. Returns the process exit code:
/// 0 success, 1 an ember error (printed as one line), 2 a usage error.
int Main(int argc, char** argv);

}  // namespace ember::cli
