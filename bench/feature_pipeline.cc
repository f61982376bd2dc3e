// ember's side of the feature benchmark: StringIndexer -> OneHotEncoder ->
// VectorAssembler -> StandardScaler fitted and applied to a whole table
// (Pipeline::FitTransform); prints one JSON line with the load and fit+transform times.
//
// usage: ember_bench_features DATA [--threads N]
//   DATA has string columns c1, c2 and numeric columns n1, n2, n3.
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "io/table_io.h"
#include "ml/builtin/builtin_stages.h"
#include "ml/pipeline/pipeline.h"

namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 2) {
      std::fprintf(stderr, "usage: ember_bench_features DATA [--threads N]\n");
      return 2;
    }
    const int threads = argc > 3 && std::string(argv[2]) == "--threads" ? std::stoi(argv[3]) : 0;
    const ember::Context ctx = ember::Context::Default(threads);
    const ember::StageRegistry& r = ember::BuiltinStages();
    auto t0 = Clock::now();
    const ember::DataFrame data = ember::ReadTable(argv[1], {}, ctx);
    const double load_s = Since(t0);
    std::vector<std::shared_ptr<const ember::Stage>> stages;
    stages.push_back(r.Make("StringIndexer", {{"inputCols", {"c1", "c2"}}, {"outputCols", {"c1_idx", "c2_idx"}}}));
    stages.push_back(
        r.Make("OneHotEncoder", {{"inputCols", {"c1_idx", "c2_idx"}}, {"outputCols", {"c1_vec", "c2_vec"}}}));
    stages.push_back(
        r.Make("VectorAssembler", {{"inputCols", {"n1", "n2", "n3", "c1_vec", "c2_vec"}}, {"outputCol", "features"}}));
    stages.push_back(r.Make("StandardScaler", {{"inputCol", "features"}, {"outputCol", "scaled"}}));
    auto pipeline = ember::Pipeline::Make(std::move(stages));
    t0 = Clock::now();
    // scikit-learn's side is ColumnTransformer.fit_transform, so ember's is
    // Pipeline::FitTransform: each stage fitted, and each transform run, once.
    const ember::DataFrame out = pipeline->FitTransform(data, ctx).output;
    const double seconds = Since(t0);
    std::printf("%s\n", nlohmann::json{{"rows", data.num_rows()},
                                       {"load_seconds", load_s},
                                       {"fit_transform_seconds", seconds},
                                       {"rows_per_second", data.num_rows() / seconds},
                                       {"output_dim", out.column("scaled")->type().dim},
                                       {"threads", ctx.threads()}}
                            .dump()
                            .c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ember_bench_features: %s\n", e.what());
    return 1;
  }
}
