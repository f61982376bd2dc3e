#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.h"
#include "core/fast_math.h"
#include "core/parallel_for.h"
#include "core/random.h"
#include "ml/feature/feature_util.h"
#include "ml/tree/binned_matrix_cache.h"
#include "ml/tree/quantized_gradients.h"
#include "ml/tree/tree_fit.h"
#include "ml/tree/tree_models.h"

namespace ember {

namespace {

enum class Loss { kLogistic, kSoftmax, kSquared, kAbsolute };

/// log(1 + exp(-m)) = max(-m, 0) + log(1 + exp(-|m|)), stable for both
/// signs, with the branch-free exp and log1p (loops over it vectorise);
/// e = exp(-|m|) when the caller has it.
inline double LogisticLoss(double m, double e) { return std::max(-m, 0.0) + Log1pUnit(e); }
inline double LogisticLoss(double m) { return LogisticLoss(m, ExpNonPositive(-std::abs(m))); }

double RowLoss(Loss loss, double y, double f) {
  switch (loss) {
    case Loss::kLogistic:
      return LogisticLoss(y > 0.5 ? f : -f);
    case Loss::kSoftmax:
      return 0;  // see SoftmaxLoss
    case Loss::kSquared:
      return (y - f) * (y - f);
    case Loss::kAbsolute:
      return std::abs(y - f);
  }
  return 0;
}

/// -log softmax(f)[y] over K margins, computed as logsumexp(f) - f[y].
double SoftmaxLoss(const double* f, size_t K, size_t y) {
  double top = f[0];
  for (size_t k = 1; k < K; ++k) top = std::max(top, f[k]);
  double sum = 0;
  for (size_t k = 0; k < K; ++k) sum += std::exp(f[k] - top);
  return top + std::log(sum) - f[y];
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

/// Logistic gradient and hessian of rows [begin, end) into stats (C floats
/// per row: g, h and with C = 4 also weight and count), without a call per
/// row: sigmoid(f) from exp(-|f|). Returns the sum of w * logistic loss at
/// the same margins, which shares that exp (the previous round's training
/// loss, without a pass of its own). W: w holds the row weights; else every
/// row weighs `unit`, 1 passed in at run time (noipa keeps it so): with a
/// constant 1 the compiler folds the hessian's floor into a branch, and the
/// loop no longer vectorises.
template <size_t C, bool W>
[[gnu::noipa]] double LogisticGradientsOf(const double* f, const double* w, double unit, const double* y, size_t begin,
                                          size_t end, float* stats) {
  double loss = 0;
#pragma omp simd reduction(+ : loss)
  for (size_t i = begin; i < end; ++i) {
    const double wi = W ? w[i] : unit;
    const double e = ExpNonPositive(-std::abs(f[i]));  // in (0, 1]
    loss += wi * LogisticLoss(y[i] > 0.5 ? f[i] : -f[i], e);
    const double inv = 1.0 / (1.0 + e);
    const double q = f[i] >= 0 ? inv : e * inv;
    float* s = stats + i * C;
    s[0] = static_cast<float>(wi * (q - y[i]));
    // q (1 - q) = e / (1 + e)^2; a positive float hessian (unit rows tell
    // non-empty children by it), floored as xgboost floors at 1e-16.
    s[1] = std::max(static_cast<float>(wi * std::max(e * inv * inv, 1e-16)), std::numeric_limits<float>::min());
    if constexpr (C == 4) {
      s[2] = static_cast<float>(wi);
      s[3] = 1.0f;
    }
  }
  return loss;
}

/// LogisticGradientsOf; w null: every row weighs 1.
template <size_t C>
double LogisticGradients(const double* f, const double* w, const double* y, size_t begin, size_t end, float* stats) {
  if (w != nullptr) return LogisticGradientsOf<C, true>(f, w, 1.0, y, begin, end, stats);
  return LogisticGradientsOf<C, false>(f, w, 1.0, y, begin, end, stats);
}

/// Sum of w * logistic loss over rows [begin, end); w null: every row weighs 1.
double LogisticLossSum(const double* f, const double* w, const double* y, size_t begin, size_t end) {
  double sum = 0;
  if (w == nullptr) {
#pragma omp simd reduction(+ : sum)
    for (size_t i = begin; i < end; ++i) sum += LogisticLoss(y[i] > 0.5 ? f[i] : -f[i]);
    return sum;
  }
#pragma omp simd reduction(+ : sum)
  for (size_t i = begin; i < end; ++i) sum += w[i] * LogisticLoss(y[i] > 0.5 ? f[i] : -f[i]);
  return sum;
}

}  // namespace

ModelPtr FitBoostedTrees(TreeAlgorithm algorithm, const ParamMap& p, const std::string& uid, const DataFrame& input,
                         const Context& ctx) {
  const std::string stage = TreeStageName(algorithm, false);
  TreeTrainingData data = ReadTreeTrainingData(input, p, stage);
  const bool classifier = IsClassifier(algorithm);
  const std::string loss_name = p.GetString("lossType");
  const int classes = classifier ? CountClasses(data, stage) : 1;
  // More than two classes: softmax (xgboost's multi:softprob), one tree per
  // class and round.
  const Loss loss = classes > 2               ? Loss::kSoftmax
                    : loss_name == "logistic" ? Loss::kLogistic
                    : loss_name == "squared"  ? Loss::kSquared
                                              : Loss::kAbsolute;
  const size_t K = loss == Loss::kSoftmax ? static_cast<size_t>(classes) : 1;
  const size_t n = data.rows;
  // Row weights of the training loss and of the validation loss: each is
  // zero on the other's rows, so that a loss sums over all rows. Validation
  // rows (early stopping) take no part in binning or fitting.
  std::vector<double> fit_weights = std::move(data.weights);  // one vector of n weights, not two
  const std::string& validation_col = p.GetString("validationIndicatorCol");
  std::vector<double> validation_weights(validation_col.empty() ? 0 : n, 0.0);
  if (!validation_col.empty()) {
    const Column& v = *input.column(validation_col);
    if (!v.type().is_numeric()) {
      throw SchemaError(fmt::format("{}: validationIndicatorCol '{}' must be boolean or numeric, got {}", stage,
                                    validation_col, v.type().ToString()));
    }
    ForEachNumeric(v, [&](size_t i, double value, bool valid) {
      if (valid && value != 0) std::swap(validation_weights[i], fit_weights[i]);
    });
  }
  double train_weight = 0, validation_weight = 0;
  for (size_t i = 0; i < n; ++i) train_weight += fit_weights[i];
  for (double w : validation_weights) validation_weight += w;
  if (!(train_weight > 0)) throw InvalidArgument(fmt::format("{}: no training rows with positive weight", stage));
  const auto seed = static_cast<uint64_t>(p.GetInt("seed"));
  BinningOptions binning = BinningOptionsFromParams(p, data.dim, stage);
  binning.feature_major_copy = true;  // faster partitions of deep trees
  const std::shared_ptr<const BinnedMatrix> binned = CachedBinnedMatrix(*data.features, fit_weights, binning, ctx);
  const BinnedMatrix& matrix = *binned;

  // Initial scores: the loss's best constant (softmax: log class priors, so
  // the first probabilities are the priors).
  std::vector<double> init(K, 0.0);
  if (loss == Loss::kAbsolute) {
    std::vector<std::pair<double, double>> vw;
    for (size_t i = 0; i < n; ++i) {
      if (fit_weights[i] > 0) vw.emplace_back(data.labels[i], fit_weights[i]);
    }
    init[0] = WeightedMedian(vw);
  } else if (loss == Loss::kSoftmax) {
    std::vector<double> prior(K, 0.0);
    for (size_t i = 0; i < n; ++i) prior[static_cast<size_t>(data.labels[i])] += fit_weights[i];
    for (size_t k = 0; k < K; ++k) init[k] = std::log(std::max(prior[k] / train_weight, 1e-12));
  } else {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += fit_weights[i] * data.labels[i];
    init[0] = s / train_weight;
    if (loss == Loss::kLogistic) {
      const double q = std::clamp(init[0], 1e-12, 1.0 - 1e-12);
      init[0] = std::log(q / (1.0 - q));
    }
  }
  GrowOptions grow = GrowOptionsFromParams(p, Criterion::kNewton, 2, train_weight);
  // Rows of weight 1 (no weightCol) need only gradient and hessian per row
  // when no count or weight constraint asks for more: half the histogram.
  grow.unit_rows = grow.constraints.min_instances <= 1 && grow.constraints.min_weight <= 0 &&
                   std::all_of(fit_weights.begin(), fit_weights.end(), [](double w) { return w == 0 || w == 1; });
  const auto C = static_cast<size_t>(ChannelsFor(Criterion::kNewton, 2, grow.unit_rows));
  // Every training row weighing 1 (no weightCol, no validation rows): the
  // weights are implicit from here on, and their n doubles are freed.
  if (std::all_of(fit_weights.begin(), fit_weights.end(), [](double w) { return w == 1; })) {
    fit_weights = std::vector<double>();
  }
  const double* row_weights = fit_weights.empty() ? nullptr : fit_weights.data();  // null: all 1
  auto weight_of = [&](size_t i) { return row_weights != nullptr ? row_weights[i] : 1.0; };
  grow.features_per_node = FeaturesPerNode(p.GetString("featureSubsetStrategy"), algorithm, 1, data.dim);
  const int max_iter = static_cast<int>(p.GetInt("maxIter"));
  const double step = p.GetDouble("stepSize");
  const double rate = p.GetDouble("subsamplingRate");
  const double tol = p.GetDouble("validationTol");
  const int patience = static_cast<int>(p.GetInt("earlyStoppingRounds"));

  TreeEnsemble ensemble;
  ensemble.num_features = data.dim;
  ensemble.num_outputs = static_cast<int>(K);
  ensemble.init = init;
  TreeTrainingHistory history;
  std::vector<double> f(n * K);  // margins, row-major
  for (size_t i = 0; i < n; ++i) std::copy(init.begin(), init.end(), f.begin() + static_cast<long>(i * K));
  std::vector<double> prob(loss == Loss::kSoftmax ? n * K : 0);
  std::vector<float> stats(n * C, 0.0f);  // float32 storage, double histograms
  // Unit-row statistics of the bounded-gradient losses may be rounded to
  // integers for the histograms. Squared-loss gradients are residuals,
  // unbounded: one outlier would coarsen every other row's rounding.
  const bool quantize = grow.unit_rows && loss != Loss::kSquared && p.GetBool("quantizedGradients");
  const int levels = quantize ? QuantizationLevels(n) : 0;
  QuantizedGradients quantized;
  TreeLearnerScratch scratch;
  double best_validation = std::numeric_limits<double>::infinity();
  size_t best_trees = 0;
  int rounds_without_improvement = 0;
  // The training loss of the last round, still to be recorded (logistic
  // loss: its next gradient pass sums it).
  bool training_loss_due = false;
  // The sampled rows of a round; the grown tree hands the buffer back, so
  // that its pages stay mapped from round to round.
  std::vector<uint32_t> sample;
  sample.reserve(n);
  auto weighted_loss = [&](bool validation) {
    const double* w = validation ? validation_weights.data() : row_weights;
    const double total = ParallelReduce(
        ctx, n, kDefaultBlockRows, 0.0,
        [&](const BlockRange& r) {
          if (loss == Loss::kLogistic) return LogisticLossSum(f.data(), w, data.labels.data(), r.begin, r.end);
          double s = 0;
          for (size_t i = r.begin; i < r.end; ++i) {
            const double wi = w != nullptr ? w[i] : 1.0;
            if (wi == 0) continue;
            s += wi * (loss == Loss::kSoftmax ? SoftmaxLoss(f.data() + i * K, K, static_cast<size_t>(data.labels[i]))
                                              : RowLoss(loss, data.labels[i], f[i]));
          }
          return s;
        },
        [](double a, double b) { return a + b; });
    return total / (validation ? validation_weight : train_weight);
  };

  // A bar with rate and ETA on a terminal (nothing otherwise).
  const std::unique_ptr<ProgressBar> progress =
      ctx.progress().Start("boosting", static_cast<uint64_t>(max_iter), "rounds");
  for (int m = 0; m < max_iter; ++m) {
    progress->Advance(1);
    if (loss == Loss::kSoftmax) {
      ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
        for (size_t i = r.begin; i < r.end; ++i) {
          const double* fi = f.data() + i * K;
          double* pi = prob.data() + i * K;
          const double top = *std::max_element(fi, fi + K);
          double sum = 0;
          for (size_t k = 0; k < K; ++k) sum += pi[k] = std::exp(fi[k] - top);
          for (size_t k = 0; k < K; ++k) pi[k] /= sum;
        }
      });
    }
    sample.clear();
    const uint64_t round_seed = Mix64(seed ^ (0x5851F42D4C957F2DULL * static_cast<uint64_t>(m + 1)));
    // Recomputed where needed rather than stored: n bytes less.
    auto in_sample = [&](size_t i) { return weight_of(i) > 0 && (rate >= 1.0 || UniformAt(round_seed, i) < rate); };
    if (rate >= 1.0 && row_weights == nullptr) {
      sample.resize(n);
      std::iota(sample.begin(), sample.end(), uint32_t{0});
    } else {
      for (size_t i = 0; i < n; ++i) {
        if (in_sample(i)) sample.push_back(static_cast<uint32_t>(i));
      }
    }
    if (sample.empty()) continue;
    for (size_t k = 0; k < K; ++k) {
      // The gradients of the losses other than the logistic, row by row.
      auto other_gradients = [&](const BlockRange& r) {
        for (size_t i = r.begin; i < r.end; ++i) {
          const double w = weight_of(i), y = data.labels[i];
          double g = 0, h = 0;
          switch (loss) {
            case Loss::kLogistic:
              break;  // LogisticGradients
            case Loss::kSoftmax: {
              // xgboost's multi:softprob: g = p_k - [y = k], h = max(2 p_k (1 - p_k), 1e-16).
              const double q = prob[i * K + k];
              g = w * (q - (static_cast<size_t>(y) == k ? 1.0 : 0.0));
              h = w * std::max(2.0 * q * (1.0 - q), 1e-16);
              break;
            }
            case Loss::kSquared:
              g = w * (f[i] - y);
              h = w;
              break;
            case Loss::kAbsolute:
              g = w * (f[i] > y ? 1.0 : (f[i] < y ? -1.0 : 0.0));
              h = w;
              break;
          }
          float* s = stats.data() + i * C;
          s[0] = static_cast<float>(g);
          // A positive float hessian: unit rows tell non-empty children by it.
          s[1] = std::max(static_cast<float>(h), std::numeric_limits<float>::min());
          if (C == 4) {
            s[2] = static_cast<float>(w);
            s[3] = 1.0f;
          }
        }
      };
      const double logistic_loss = ParallelReduce(
          ctx, n, kDefaultBlockRows, 0.0,
          [&](const BlockRange& r) {
            const double* y = data.labels.data();
            if (loss == Loss::kLogistic) {
              return C == 2 ? LogisticGradients<2>(f.data(), row_weights, y, r.begin, r.end, stats.data())
                            : LogisticGradients<4>(f.data(), row_weights, y, r.begin, r.end, stats.data());
            }
            other_gradients(r);
            return 0.0;
          },
          [](double a, double b) { return a + b; });
      if (training_loss_due) {
        history.training_loss.push_back(logistic_loss / train_weight);
        training_loss_due = false;
      }
      grow.tree_index = static_cast<uint64_t>(m) * K + k;
      if (levels > 0) QuantizeGradients(stats, levels, Mix64(seed ^ Mix64(grow.tree_index + 1)), ctx, quantized);
      GrownTree g = GrowTree(matrix, stats, k + 1 < K ? sample : std::move(sample), grow, scratch, ctx,
                             levels > 0 ? &quantized : nullptr);
      Tree& tree = g.tree;
      if (loss == Loss::kAbsolute) {
        // Newton steps on |y - F| are sign steps; refit each leaf to the
        // weighted median residual of its rows instead.
        std::vector<std::pair<double, double>> vw;
        for (const LeafRows& leaf : g.leaves) {
          vw.clear();
          for (size_t j = leaf.begin; j < leaf.end; ++j) {
            const uint32_t i = g.rows[j];
            vw.emplace_back(data.labels[i] - f[i], weight_of(i));
          }
          tree.value[static_cast<size_t>(leaf.node)] = WeightedMedian(vw);
        }
      }
      for (double& v : tree.value) v *= step;
      // Sampled rows know their leaf from the partition; the rest walk the tree.
      ParallelFor(ctx, g.leaves.size(), 1, [&](const BlockRange& r) {
        const LeafRows& leaf = g.leaves[r.begin];
        const double v = tree.value[static_cast<size_t>(leaf.node)];
        for (size_t j = leaf.begin; j < leaf.end; ++j) {
          if (j + kLeafPrefetch < leaf.end) __builtin_prefetch(f.data() + g.rows[j + kLeafPrefetch] * K + k);
          f[g.rows[j] * K + k] += v;
        }
      });
      if (g.rows.size() < n) {
        ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
          for (size_t i = r.begin; i < r.end; ++i) {
            if (!in_sample(i)) {
              f[i * K + k] += tree.value[static_cast<size_t>(LeafOfBins(tree, matrix, i))];
            }
          }
        });
      }
      ensemble.trees.push_back(std::move(tree));
      if (k + 1 == K) sample = std::move(g.rows);
      ensemble.tree_output.push_back(K > 1 ? static_cast<int32_t>(k) : -1);
    }
    if (loss == Loss::kLogistic) {
      training_loss_due = true;  // summed by the next round's gradient pass
    } else {
      history.training_loss.push_back(weighted_loss(false));
    }
    if (validation_weight > 0) {
      // Spark's rule, with patience: a round improves when the validation
      // loss falls by at least validationTol relative to the current loss;
      // stop after earlyStoppingRounds rounds without one and keep the trees
      // of the best round.
      const double current = weighted_loss(true);
      history.validation_loss.push_back(current);
      if (best_validation - current < tol * std::max(current, 0.01)) {
        if (++rounds_without_improvement >= patience) break;
      } else {
        rounds_without_improvement = 0;
      }
      if (current < best_validation) {
        best_validation = current;
        best_trees = ensemble.trees.size();
      }
    }
  }
  if (training_loss_due) history.training_loss.push_back(weighted_loss(false));
  if (validation_weight > 0 && best_trees < ensemble.trees.size()) {
    ensemble.trees.resize(best_trees);
    ensemble.tree_output.resize(best_trees);
  }
  ParamMap model_params(TreeParams(algorithm, true));
  model_params.SetFromJson(p.ExplicitToJson());
  if (classifier) {
    return std::make_shared<TreeClassificationModel>(
        algorithm, std::move(model_params), uid, input.schema(), classes,
        loss == Loss::kSoftmax ? ClassOutput::kSoftmax : ClassOutput::kLogistic, std::move(ensemble),
        std::move(history));
  }
  return std::make_shared<TreeRegressionModel>(algorithm, std::move(model_params), uid, input.schema(),
                                               std::move(ensemble), std::move(history));
}

}  // namespace ember
