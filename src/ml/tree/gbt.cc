#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.h"
#include "core/parallel_for.h"
#include "core/random.h"
#include "ml/feature/feature_util.h"
#include "ml/tree/tree_fit.h"
#include "ml/tree/tree_models.h"

namespace ember {

namespace {

enum class Loss { kLogistic, kSquared, kAbsolute };

double RowLoss(Loss loss, double y, double f) {
  switch (loss) {
    case Loss::kLogistic: {
      const double m = y > 0.5 ? f : -f;  // log(1 + exp(-m)), stable for both signs
      return m > 0 ? std::log1p(std::exp(-m)) : -m + std::log1p(std::exp(m));
    }
    case Loss::kSquared: return (y - f) * (y - f);
    case Loss::kAbsolute: return std::abs(y - f);
  }
  return 0;
}

/// Weighted median of values (the smallest v with cumulative weight >= half).
double WeightedMedian(std::vector<std::pair<double, double>>& vw) {
  if (vw.empty()) return 0.0;
  std::sort(vw.begin(), vw.end());
  double total = 0;
  for (const auto& p : vw) total += p.second;
  double cumulative = 0;
  for (const auto& p : vw) {
    cumulative += p.second;
    if (cumulative >= 0.5 * total) return p.first;
  }
  return vw.back().first;
}

}  // namespace

ModelPtr FitBoostedTrees(TreeAlgorithm algorithm, const ParamMap& p, const std::string& uid, const DataFrame& input,
                         const Context& ctx) {
  const std::string stage = TreeStageName(algorithm, false);
  const TreeTrainingData data = ReadTreeTrainingData(input, p, stage);
  const bool classifier = IsClassifier(algorithm);
  const std::string loss_name = p.GetString("lossType");
  const Loss loss = loss_name == "logistic" ? Loss::kLogistic : loss_name == "squared" ? Loss::kSquared : Loss::kAbsolute;
  if (classifier) {
    const int classes = CountClasses(data, stage);
    if (classes > 2) {
      throw InvalidArgument(fmt::format("{}: lossType 'logistic' is binary, but labels go up to {} ({} classes); use "
                                        "RandomForestClassifier or one-vs-rest for more classes", stage, classes - 1,
                                        classes));
    }
  }
  const size_t n = data.rows;
  // Validation rows (early stopping) take no part in binning or fitting.
  std::vector<uint8_t> is_validation(n, 0);
  const std::string& validation_col = p.GetString("validationIndicatorCol");
  if (!validation_col.empty()) {
    const Column& v = *input.column(validation_col);
    if (!v.type().is_numeric()) {
      throw SchemaError(fmt::format("{}: validationIndicatorCol '{}' must be boolean or numeric, got {}", stage,
                                    validation_col, v.type().ToString()));
    }
    ForEachNumeric(v, [&](size_t i, double value, bool valid) { is_validation[i] = valid && value != 0 ? 1 : 0; });
  }
  std::vector<double> fit_weights = data.weights;
  double train_weight = 0, validation_weight = 0;
  for (size_t i = 0; i < n; ++i) {
    if (is_validation[i]) {
      validation_weight += fit_weights[i];
      fit_weights[i] = 0;
    }
    train_weight += fit_weights[i];
  }
  if (!(train_weight > 0)) throw InvalidArgument(fmt::format("{}: no training rows with positive weight", stage));
  const auto seed = static_cast<uint64_t>(p.GetInt("seed"));
  const BinnedMatrix matrix = BinnedMatrix::Build(
      *data.features, fit_weights, {.max_bins = static_cast<int>(p.GetInt("maxBins")), .seed = seed}, ctx);

  // Initial score: the loss's best constant.
  double init = 0;
  if (loss == Loss::kAbsolute) {
    std::vector<std::pair<double, double>> vw;
    for (size_t i = 0; i < n; ++i) {
      if (fit_weights[i] > 0) vw.emplace_back(data.labels[i], fit_weights[i]);
    }
    init = WeightedMedian(vw);
  } else {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += fit_weights[i] * data.labels[i];
    init = s / train_weight;
    if (loss == Loss::kLogistic) {
      const double q = std::clamp(init, 1e-12, 1.0 - 1e-12);
      init = std::log(q / (1.0 - q));
    }
  }
  GrowOptions grow = GrowOptionsFromParams(p, Criterion::kNewton, 2, train_weight);
  grow.features_per_node = FeaturesPerNode(p.GetString("featureSubsetStrategy"), algorithm, 1, data.dim);
  const int max_iter = static_cast<int>(p.GetInt("maxIter"));
  const double step = p.GetDouble("stepSize");
  const double rate = p.GetDouble("subsamplingRate");
  const double tol = p.GetDouble("validationTol");

  TreeEnsemble ensemble;
  ensemble.num_features = data.dim;
  ensemble.num_outputs = 1;
  ensemble.init = {init};
  TreeTrainingHistory history;
  std::vector<double> f(n, init);
  std::vector<double> stats(n * 4, 0.0);
  std::vector<uint8_t> in_sample(n, 0);
  TreeLearnerScratch scratch;
  double best_validation = std::numeric_limits<double>::infinity();
  size_t best_trees = 0;
  auto weighted_loss = [&](bool validation) {
    const double total = ParallelReduce(ctx, n, kDefaultBlockRows, 0.0, [&](const BlockRange& r) {
      double s = 0;
      for (size_t i = r.begin; i < r.end; ++i) {
        if ((is_validation[i] != 0) == validation) s += data.weights[i] * RowLoss(loss, data.labels[i], f[i]);
      }
      return s;
    }, [](double a, double b) { return a + b; });
    return total / (validation ? validation_weight : train_weight);
  };

  for (int m = 0; m < max_iter; ++m) {
    ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
      for (size_t i = r.begin; i < r.end; ++i) {
        const double w = fit_weights[i], y = data.labels[i];
        double* s = stats.data() + i * 4;
        switch (loss) {
          case Loss::kLogistic: {
            const double q = 1.0 / (1.0 + std::exp(-f[i]));
            s[0] = w * (q - y);
            s[1] = w * std::max(q * (1.0 - q), 1e-16);
            break;
          }
          case Loss::kSquared:
            s[0] = w * (f[i] - y);
            s[1] = w;
            break;
          case Loss::kAbsolute:
            s[0] = w * (f[i] > y ? 1.0 : (f[i] < y ? -1.0 : 0.0));
            s[1] = w;
            break;
        }
        s[2] = w;
        s[3] = 1.0;
      }
    });
    std::vector<uint32_t> rows;
    rows.reserve(n);
    const uint64_t round_seed = Mix64(seed ^ (0x5851F42D4C957F2DULL * static_cast<uint64_t>(m + 1)));
    for (size_t i = 0; i < n; ++i) {
      const bool take = fit_weights[i] > 0 && (rate >= 1.0 || UniformAt(round_seed, i) < rate);
      in_sample[i] = take ? 1 : 0;
      if (take) rows.push_back(static_cast<uint32_t>(i));
    }
    if (rows.empty()) continue;
    grow.tree_index = static_cast<uint64_t>(m);
    GrownTree g = GrowTree(matrix, stats, std::move(rows), grow, scratch, ctx);
    Tree& tree = g.tree;
    if (loss == Loss::kAbsolute) {
      // Newton steps on |y - F| are sign steps; refit each leaf to the
      // weighted median residual of its rows instead.
      std::vector<std::pair<double, double>> vw;
      for (const LeafRows& leaf : g.leaves) {
        vw.clear();
        for (size_t k = leaf.begin; k < leaf.end; ++k) {
          const uint32_t i = g.rows[k];
          vw.emplace_back(data.labels[i] - f[i], fit_weights[i]);
        }
        tree.value[static_cast<size_t>(leaf.node)] = WeightedMedian(vw);
      }
    }
    for (double& v : tree.value) v *= step;
    // Sampled rows know their leaf from the partition; the rest walk the tree.
    ParallelFor(ctx, g.leaves.size(), 1, [&](const BlockRange& r) {
      const LeafRows& leaf = g.leaves[r.begin];
      const double v = tree.value[static_cast<size_t>(leaf.node)];
      for (size_t k = leaf.begin; k < leaf.end; ++k) f[g.rows[k]] += v;
    });
    if (g.rows.size() < n) {
      ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
        for (size_t i = r.begin; i < r.end; ++i) {
          if (!in_sample[i]) f[i] += tree.value[static_cast<size_t>(LeafOfBins(tree, matrix.row(i), matrix.cuts()))];
        }
      });
    }
    ensemble.trees.push_back(std::move(tree));
    ensemble.tree_output.push_back(-1);
    history.training_loss.push_back(weighted_loss(false));
    if (validation_weight > 0) {
      // Spark's rule: stop when the improvement is below validationTol
      // relative to the current error; keep the best number of trees.
      const double current = weighted_loss(true);
      history.validation_loss.push_back(current);
      if (best_validation - current < tol * std::max(current, 0.01)) break;
      if (current < best_validation) {
        best_validation = current;
        best_trees = ensemble.trees.size();
      }
    }
  }
  if (validation_weight > 0 && best_trees < ensemble.trees.size()) {
    ensemble.trees.resize(best_trees);
    ensemble.tree_output.resize(best_trees);
  }
  ParamMap model_params(TreeParams(algorithm, true));
  model_params.SetFromJson(p.ExplicitToJson());
  if (classifier) {
    return std::make_shared<TreeClassificationModel>(algorithm, std::move(model_params), uid, input.schema(), 2,
                                                     ClassOutput::kLogistic, std::move(ensemble), std::move(history));
  }
  return std::make_shared<TreeRegressionModel>(algorithm, std::move(model_params), uid, input.schema(),
                                               std::move(ensemble), std::move(history));
}

}  // namespace ember
