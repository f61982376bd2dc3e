#include "cli/app.h"

#include <cstdio>
#include <exception>
#include <new>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "core/error.h"
#include "core/version.h"

namespace ember::cli {

Context GlobalOptions::MakeContext() const {
  return Context::Make({.threads = threads, .seed = seed, .show_progress = !quiet});
}

int Main(int argc, char** argv) {
  CLI::App app{"ember: fast machine-learning pipelines for tabular data", "ember"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand
  app.set_version_flag("--version", fmt::format("ember {} ({})", kVersion, kBuildInfo));
  GlobalOptions globals;
  app.add_option("--threads", globals.threads, "worker threads (0 = all cores)")
      ->check(CLI::NonNegativeNumber)
      ->default_val(0);
  app.add_flag("-q,--quiet", globals.quiet, "no progress bars");
  app.add_option("--seed", globals.seed, "seed for random choices")->default_val(42);

  Action action;
  auto on_run = [&](Action a) { action = std::move(a); };
  RegisterDataCommands(app, on_run);
  RegisterDatagenCommand(app, on_run);
  RegisterTrackingCommands(app, on_run);
  RegisterRunCommands(app, on_run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    action(globals);
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "ember: %s\n", e.what());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "ember: out of memory; try fewer rows or a machine with more memory\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ember: unexpected error: %s\n", e.what());
  }
  return 1;
}

}  // namespace ember::cli
