// `ember datagen`: write a seeded synthetic dataset (see docs/datagen.md).
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/app.h"
#include "datagen/synthetic_writer.h"

namespace ember::cli {

void RegisterDatagenCommand(CLI::App& app, std::function<void(Action)> on_run) {
  struct Flags {
    std::string out;
    double rows = 100000;
    std::string task = "binary";
    double missing = 0.0;
    size_t batch_rows = 1 << 20;
    bool zstd = false;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("datagen", "write HIGGS-like synthetic data (binary, regression or multiclass)");
  cmd->add_option("-o,--out", f->out, "output file: .ember or .csv")->required();
  cmd->add_option("-n,--rows", f->rows, "number of rows (1e6 style accepted)")->default_val(100000)
      ->check(CLI::Range(0.0, 1e11));
  cmd->add_option("--task", f->task, "binary | regression | multiclass")->default_val("binary");
  cmd->add_option("--missing", f->missing, "NaN rate in met, m_jj, m_bb (0 to 0.5)")->default_val(0.0);
  cmd->add_option("--batch-rows", f->batch_rows, "rows generated per batch (bounds memory)")->default_val(1 << 20);
  cmd->add_flag("--zstd", f->zstd, "zstd-compress .ember columns");
  cmd->callback([=] {
    on_run([=](const GlobalOptions& g) {
      SyntheticOptions data;
      data.task = ParseSyntheticTask(f->task);
      data.seed = g.seed;
      data.missing_rate = f->missing;
      SyntheticWriteOptions w;
      w.rows = static_cast<uint64_t>(f->rows);
      w.batch_rows = f->batch_rows;
      w.compress = f->zstd;
      const uint64_t bytes = WriteSynthetic(f->out, data, w, g.MakeContext());
      if (!g.quiet) {
        std::printf("wrote %s: %llu rows x 29 columns, %llu bytes\n", f->out.c_str(),
                    static_cast<unsigned long long>(w.rows), static_cast<unsigned long long>(bytes));
      }
    });
  });
}

}  // namespace ember::cli
