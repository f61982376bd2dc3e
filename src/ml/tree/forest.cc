#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/parallel_for.h"
#include "core/random.h"
#include "ml/tree/binned_matrix_cache.h"
#include "ml/tree/tree_fit.h"
#include "ml/tree/tree_models.h"

namespace ember {

namespace {

/// Poisson(lambda) draw from one uniform (inverse CDF; lambda <= 1 here).
int PoissonFromUniform(double u, double lambda) {
  double p = std::exp(-lambda);
  double cdf = p;
  int k = 0;
  while (u > cdf && k < 64) {
    ++k;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

}  // namespace

ModelPtr FitForest(TreeAlgorithm algorithm, const ParamMap& p, const std::string& uid, const DataFrame& input,
                   const Context& ctx) {
  const std::string stage = TreeStageName(algorithm, false);
  TreeTrainingData data = ReadTreeTrainingData(input, p, stage);
  const bool classifier = IsClassifier(algorithm);
  const bool forest =
      algorithm == TreeAlgorithm::kRandomForestClassifier || algorithm == TreeAlgorithm::kRandomForestRegressor;
  const int num_classes = classifier ? CountClasses(data, stage) : 1;
  const std::string impurity = p.GetString("impurity");
  const Criterion criterion = !classifier             ? Criterion::kNewton
                              : impurity == "entropy" ? Criterion::kEntropy
                                                      : Criterion::kGini;
  const int C = ChannelsFor(criterion, num_classes);
  const auto uc = static_cast<size_t>(C);
  const auto seed = static_cast<uint64_t>(p.GetInt("seed"));
  const std::shared_ptr<const BinnedMatrix> binned =
      CachedBinnedMatrix(*data.features, data.weights, BinningOptionsFromParams(p, data.dim, stage), ctx);
  const BinnedMatrix& matrix = *binned;
  const size_t n = data.rows;
  // The trees read a label and a weight per row. Class indices fit in 16
  // bits (CountClasses caps them) and unit weights stay implicit, so the n
  // doubles of each are freed before the trees take their own buffers.
  std::vector<uint16_t> classes;
  if (classifier) {
    classes.resize(n);
    for (size_t i = 0; i < n; ++i) classes[i] = static_cast<uint16_t>(data.labels[i]);
    data.labels = std::vector<double>();
  }
  if (std::all_of(data.weights.begin(), data.weights.end(), [](double w) { return w == 1; })) {
    data.weights = std::vector<double>();
  }
  auto weight_of = [&](size_t i) { return data.weights.empty() ? 1.0 : data.weights[i]; };
  const int num_trees = forest ? static_cast<int>(p.GetInt("numTrees")) : 1;
  const double rate = forest ? p.GetDouble("subsamplingRate") : 1.0;
  const bool bootstrap = forest && p.GetBool("bootstrap");
  GrowOptions grow = GrowOptionsFromParams(p, criterion, num_classes, data.weight_sum);
  grow.features_per_node =
      forest ? FeaturesPerNode(p.GetString("featureSubsetStrategy"), algorithm, num_trees, data.dim) : 0;

  TreeEnsemble ensemble;
  ensemble.num_features = data.dim;
  ensemble.num_outputs = classifier ? num_classes : 1;
  ensemble.init.assign(static_cast<size_t>(ensemble.num_outputs), 0.0);
  ensemble.combine = classifier ? EnsembleCombine::kSum : EnsembleCombine::kAverage;
  ensemble.trees.resize(static_cast<size_t>(num_trees));
  ensemble.tree_output.assign(static_cast<size_t>(num_trees), -1);
  // Trees in parallel, each single-threaded inside; one tree uses every thread.
  const Context inner = num_trees > 1 ? ctx.WithThreads(1) : ctx;
  // A bar with rate and ETA on a terminal (nothing otherwise).
  const std::unique_ptr<ProgressBar> progress =
      ctx.progress().Start("trees", static_cast<uint64_t>(num_trees), "trees");
  ParallelFor(ctx, static_cast<size_t>(num_trees), 1, [&](const BlockRange& r) {
    const uint64_t t = r.begin;
    const uint64_t tree_seed = Mix64(seed ^ (0x9E3779B97F4A7C15ULL * (t + 1)));
    std::vector<float> stats(n * uc, 0.0f);  // float32 storage, double histograms
    std::vector<uint32_t> rows;
    rows.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      double count = 1.0;
      if (bootstrap) {
        count = PoissonFromUniform(UniformAt(tree_seed, i), rate);
      } else if (rate < 1.0) {
        count = UniformAt(tree_seed, i) < rate ? 1.0 : 0.0;
      }
      const double w = weight_of(i) * count;
      if (count == 0 || !(w > 0)) continue;
      float* s = stats.data() + i * uc;
      if (classifier) {
        s[classes[i]] = static_cast<float>(w);
      } else {
        s[0] = static_cast<float>(-w * data.labels[i]);
        s[1] = static_cast<float>(w);
      }
      s[uc - 2] = static_cast<float>(w);
      s[uc - 1] = static_cast<float>(count);
      rows.push_back(static_cast<uint32_t>(i));
    }
    if (rows.empty()) rows.push_back(0);  // a degenerate draw: a leaf from one zero-stat row
    GrowOptions o = grow;
    o.tree_index = t;
    TreeLearnerScratch scratch;
    ensemble.trees[t] = GrowTree(matrix, stats, std::move(rows), o, scratch, inner).tree;
    progress->Advance(1);
  });
  ParamMap model_params(TreeParams(algorithm, true));
  model_params.SetFromJson(p.ExplicitToJson());
  if (classifier) {
    return std::make_shared<TreeClassificationModel>(algorithm, std::move(model_params), uid, input.schema(),
                                                     num_classes, ClassOutput::kVote, std::move(ensemble),
                                                     TreeTrainingHistory{});
  }
  return std::make_shared<TreeRegressionModel>(algorithm, std::move(model_params), uid, input.schema(),
                                               std::move(ensemble), TreeTrainingHistory{});
}

}  // namespace ember
