// `ember schema | head | describe | convert | load`: look at and convert data files.
#include <chrono>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/app.h"
#include "cli/table_printer.h"
#include "core/error.h"
#include "frame/summary.h"
#include "io/table_io.h"
#include "ml/builtin/builtin_stages.h"

namespace ember::cli {

namespace {

/// CSV reading flags shared by every command that reads a table.
struct ReadFlags {
  std::string delimiter = ",";
  std::vector<std::string> null_tokens;
  std::string types;
  bool no_header = false;

  void AddTo(CLI::App& cmd) {
    cmd.add_option("--delimiter", delimiter, "CSV field delimiter (one character; \\t for tab)");
    cmd.add_option("--null-token", null_tokens, "CSV text that means null (repeatable; default: the empty field)");
    cmd.add_option("--types", types, "column types overriding inference, e.g. 'age:int64,zip:string'");
    cmd.add_flag("--no-header", no_header, "the CSV has no header line; columns are named c0, c1, ...");
  }

  TableReadOptions ToOptions() const {
    TableReadOptions o;
    const std::string d = delimiter == "\\t" ? "\t" : delimiter;
    if (d.size() != 1) throw InvalidArgument(fmt::format("--delimiter must be one character, got '{}'", delimiter));
    o.delimiter = d[0];
    if (!null_tokens.empty()) o.null_tokens = null_tokens;
    o.column_types = ParseColumnTypes(types);
    o.has_header = !no_header;
    return o;
  }
};

std::string DescribeStage(const StageType& stage) {
  static constexpr const char* kKinds[] = {"transformer", "estimator", "model"};
  std::string out = fmt::format("{} ({}): {}\n", stage.name, kKinds[static_cast<int>(stage.kind)], stage.doc);
  std::vector<std::vector<std::string>> rows;
  for (const ParamSpec& p : stage.params->specs()) {
    const std::string constraint = p.ConstraintText();
    rows.push_back({p.name, std::string(ParamTypeName(p.type)),
                    p.default_value ? FormatParamValue(*p.default_value) : "(required)",
                    p.doc + (constraint.empty() ? "" : " (" + constraint + ")")});
  }
  return out + FormatTable({"param", "type", "default", "description"}, rows);
}

void PrintSchema(const Schema& schema, size_t rows) {
  std::vector<std::vector<std::string>> cells;
  for (size_t i = 0; i < schema.size(); ++i) {
    cells.push_back({std::to_string(i), schema.field(i).name, schema.field(i).type.ToString()});
  }
  std::fputs(FormatTable({"#", "column", "type"}, cells).c_str(), stdout);
  std::printf("%zu rows x %zu columns\n", rows, schema.size());
}

}  // namespace

void RegisterDataCommands(CLI::App& app, std::function<void(Action)> on_run) {
  {
    auto* cmd = app.add_subcommand("schema", "print a file's column names and types");
    auto path = std::make_shared<std::string>();
    auto flags = std::make_shared<ReadFlags>();
    cmd->add_option("FILE", *path, "a .csv, .csv.gz, .ember or .libsvm file")->required();
    flags->AddTo(*cmd);
    cmd->callback([=] {
      on_run([=](const GlobalOptions& g) {
        const DataFrame df = ReadTable(*path, flags->ToOptions(), g.MakeContext());
        PrintSchema(df.schema(), df.num_rows());
      });
    });
  }
  {
    auto* cmd = app.add_subcommand("head", "print the first rows of a file");
    auto path = std::make_shared<std::string>();
    auto rows = std::make_shared<size_t>(10);
    auto flags = std::make_shared<ReadFlags>();
    cmd->add_option("FILE", *path, "a .csv, .csv.gz, .ember or .libsvm file")->required();
    cmd->add_option("-n,--rows", *rows, "number of rows")->default_val(10);
    flags->AddTo(*cmd);
    cmd->callback([=] {
      on_run([=](const GlobalOptions& g) {
        const DataFrame df = ReadTable(*path, flags->ToOptions(), g.MakeContext());
        std::fputs(FormatFrame(df.Head(*rows)).c_str(), stdout);
      });
    });
  }
  {
    auto* cmd = app.add_subcommand(
        "describe", "print summary statistics of every column of a file, or the params of a stage (e.g. GBTClassifier)");
    auto path = std::make_shared<std::string>();
    auto flags = std::make_shared<ReadFlags>();
    cmd->add_option("FILE_OR_STAGE", *path, "a .csv, .csv.gz, .ember or .libsvm file, or a stage name")->required();
    flags->AddTo(*cmd);
    cmd->callback([=] {
      on_run([=](const GlobalOptions& g) {
        if (const StageType* stage = BuiltinStages().Find(*path)) {
          std::fputs(DescribeStage(*stage).c_str(), stdout);
          return;
        }
        if (path->find('.') == std::string::npos) {
          // Not a file name: most likely a misspelt stage.
          BuiltinStages().Get(*path);
        }
        const Context ctx = g.MakeContext();
        const DataFrame df = ReadTable(*path, flags->ToOptions(), ctx);
        std::fputs(FormatSummaries(Summarize(df, ctx)).c_str(), stdout);
        std::printf("%zu rows x %zu columns\n", df.num_rows(), df.num_columns());
      });
    });
  }
  {
    auto* cmd = app.add_subcommand("convert", "convert between CSV and .ember (format from the extensions)");
    auto in = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto compress = std::make_shared<bool>(false);
    auto flags = std::make_shared<ReadFlags>();
    cmd->add_option("IN", *in, "input file")->required();
    cmd->add_option("OUT", *out, "output file (.csv or .ember)")->required();
    cmd->add_flag("--zstd", *compress, "zstd-compress .ember columns");
    flags->AddTo(*cmd);
    cmd->callback([=] {
      on_run([=](const GlobalOptions& g) {
        const Context ctx = g.MakeContext();
        const DataFrame df = ReadTable(*in, flags->ToOptions(), ctx);
        TableWriteOptions w;
        w.compress = *compress;
        WriteTable(df, *out, w, ctx);
        if (!g.quiet) std::printf("wrote %s: %zu rows x %zu columns\n", out->c_str(), df.num_rows(), df.num_columns());
      });
    });
  }
  {
    auto* cmd = app.add_subcommand("load", "read a whole file into memory and report rows, bytes and time");
    auto path = std::make_shared<std::string>();
    auto flags = std::make_shared<ReadFlags>();
    cmd->add_option("FILE", *path, "a .csv, .csv.gz, .ember or .libsvm file")->required();
    flags->AddTo(*cmd);
    cmd->callback([=] {
      on_run([=](const GlobalOptions& g) {
        const Context ctx = g.MakeContext();
        const TableReadOptions options = flags->ToOptions();
        const auto start = std::chrono::steady_clock::now();
        const DataFrame df = ReadTable(*path, options, ctx);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("{\"rows\": %zu, \"columns\": %zu, \"column_bytes\": %zu, \"seconds\": %.4f, \"threads\": %d}\n",
                    df.num_rows(), df.num_columns(), df.ByteSize(), seconds, ctx.threads());
      });
    });
  }
}

}  // namespace ember::cli
