#include "ml/tree/tree_params.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "ml/feature/feature_util.h"
#include "ml/pipeline/classifier_output.h"

namespace ember {

namespace {

bool IsForest(TreeAlgorithm a) {
  return a == TreeAlgorithm::kRandomForestClassifier || a == TreeAlgorithm::kRandomForestRegressor;
}
bool IsGbt(TreeAlgorithm a) { return a == TreeAlgorithm::kGBTClassifier || a == TreeAlgorithm::kGBTRegressor; }

ParamTable BuildTable(TreeAlgorithm a, bool model) {
  ParamTable t(TreeStageName(a, model));
  const bool classifier = IsClassifier(a);
  t.String("featuresCol", "features", "input column of feature vectors (NaN values are treated as missing)")
      .String("labelCol", "label", classifier ? "input column of class indices 0, 1, ..." : "input column of labels")
      .String("weightCol", "", "input column of row weights; '' means every row weighs 1")
      .Int("maxDepth", 5, "maximum depth of a tree (0: a single leaf)", 0, 30)
      .Int("maxBins", 32, "quantile bins per feature (255 at most are used; one code is the missing bin)", 2, 256)
      .Int("minInstancesPerNode", 1, "least number of rows in each child of a split", 1)
      .Double("minInfoGain", 0.0, "least information gain of a split", 0.0)
      .Double("minWeightFractionPerNode", 0.0, "least fraction of the total weight in each child of a split", 0.0,
              0.5, true, false)
      .Int("seed", 42, "seed of every random choice (binning sample, row and feature subsampling)")
      .DoubleList("categoricalFeatures", std::vector<double>{},
                  "indices into the features vector of categorical features, whose values are category codes 0, 1, "
                  "... (StringIndexer output); their splits group categories instead of cutting at a threshold",
                  0.0)
      .Int("maxLeaves", 0, "> 0: grow leaf-wise (best gain first) up to this many leaves per tree", 0)
      .Double("regLambda", IsGbt(a) ? 1.0 : 0.0, "L2 regularisation of leaf values (xgboost's lambda)", 0.0)
      .Double("minChildWeight", IsGbt(a) ? 1e-3 : 0.0,
              "least hessian sum (boosting) or weight (forests, trees) in each child", 0.0);
  if (classifier) {
    AddClassifierOutputParams(t);
    t.DoubleList("thresholds", std::vector<double>{}, "per-class thresholds: predict argmax p_k / t_k", 0.0);
  } else {
    t.String("predictionCol", "prediction", "output column of predictions");
  }
  if (!IsGbt(a)) {
    if (classifier) {
      t.String("impurity", "gini", "split criterion", {"gini", "entropy"});
    } else {
      t.String("impurity", "variance", "split criterion", {"variance"});
    }
  }
  if (IsForest(a)) {
    t.Int("numTrees", 20, "number of trees", 1)
        .String("featureSubsetStrategy", "auto",
                "features tried per node: auto, all, onethird, sqrt, log2, a fraction in (0, 1] or a count")
        .Double("subsamplingRate", 1.0, "fraction of rows drawn for each tree", 0.0, 1.0, false, true)
        .Bool("bootstrap", true, "draw rows with replacement (Poisson(1) counts per row)");
  }
  if (IsForest(a) || IsGbt(a)) {
    t.Double("colsampleByTree", 1.0,
             "fraction of the features drawn (seeded, at least one) for each tree; featureSubsetStrategy then draws "
             "from those per node",
             0.0, 1.0, false, true);
  }
  if (IsGbt(a)) {
    t.Int("maxIter", 20, "number of boosting rounds (trees)", 0)
        .Double("stepSize", 0.1, "learning rate: shrinkage of each tree", 0.0, 1.0, false, true)
        .Double("subsamplingRate", 1.0, "fraction of rows drawn (without replacement) for each tree", 0.0, 1.0,
                false, true)
        .String("featureSubsetStrategy", "all",
                "features tried per node: auto, all, onethird, sqrt, log2, a fraction in (0, 1] or a count")
        .String("validationIndicatorCol", "",
                "boolean/numeric column: true rows are held out to stop early; '' means no early stopping")
        .Double("validationTol", 0.01, "early stopping: least relative improvement of the validation loss", 0.0)
        .Int("earlyStoppingRounds", 1,
             "early stopping: rounds without an improvement of validationTol before training stops (1: Spark's "
             "rule); the best round's trees are kept",
             1)
        .Bool("quantizedGradients", true,
              "without weightCol, for the logistic, softmax and absolute losses: round gradients and hessians to "
              "8-bit integers (seeded stochastic rounding) for the histograms, as LightGBM's use_quantized_grad; "
              "leaf values stay exact. false: float statistics (always so for the squared loss, whose residuals "
              "are unbounded)");
    if (classifier) {
      t.String("lossType", "logistic", "loss minimised: binary logistic, or softmax (multinomial) for more than 2 classes",
               {"logistic"});
    } else {
      t.String("lossType", "squared", "loss minimised", {"squared", "absolute"});
    }
  }
  return t;
}

}  // namespace

std::string TreeStageName(TreeAlgorithm a, bool model) {
  switch (a) {
    case TreeAlgorithm::kDecisionTreeClassifier:
      return model ? "DecisionTreeClassificationModel" : "DecisionTreeClassifier";
    case TreeAlgorithm::kDecisionTreeRegressor:
      return model ? "DecisionTreeRegressionModel" : "DecisionTreeRegressor";
    case TreeAlgorithm::kRandomForestClassifier:
      return model ? "RandomForestClassificationModel" : "RandomForestClassifier";
    case TreeAlgorithm::kRandomForestRegressor:
      return model ? "RandomForestRegressionModel" : "RandomForestRegressor";
    case TreeAlgorithm::kGBTClassifier: return model ? "GBTClassificationModel" : "GBTClassifier";
    case TreeAlgorithm::kGBTRegressor: return model ? "GBTRegressionModel" : "GBTRegressor";
  }
  return "";
}

bool IsClassifier(TreeAlgorithm a) {
  return a == TreeAlgorithm::kDecisionTreeClassifier || a == TreeAlgorithm::kRandomForestClassifier ||
         a == TreeAlgorithm::kGBTClassifier;
}

const ParamTable& TreeParams(TreeAlgorithm a, bool model) {
  static const std::vector<ParamTable> tables = [] {
    std::vector<ParamTable> v;
    for (int i = 0; i < 6; ++i) {
      v.push_back(BuildTable(static_cast<TreeAlgorithm>(i), false));
      v.push_back(BuildTable(static_cast<TreeAlgorithm>(i), true));
    }
    return v;
  }();
  return tables[static_cast<size_t>(a) * 2 + (model ? 1 : 0)];
}

TreeTrainingData ReadTreeTrainingData(const DataFrame& frame, const ParamMap& params, std::string_view stage) {
  TreeTrainingData d;
  const std::string& features_col = params.GetString("featuresCol");
  const std::string& label_col = params.GetString("labelCol");
  const std::string& weight_col = params.GetString("weightCol");
  const Column& features = *frame.column(features_col);
  if (!features.type().is_vector()) {
    throw SchemaError(fmt::format("{}: featuresCol '{}' must be a vector column (use VectorAssembler), got {}", stage,
                                  features_col, features.type().ToString()));
  }
  if (frame.num_rows() == 0) throw InvalidArgument(fmt::format("{}: the training data has no rows", stage));
  if (frame.num_rows() >= std::numeric_limits<uint32_t>::max()) {
    throw InvalidArgument(fmt::format("{}: {} rows is more than a tree learner takes (2^32 - 1)", stage,
                                      frame.num_rows()));
  }
  if (features.type().dim < 1) throw InvalidArgument(fmt::format("{}: the features have no dimensions", stage));
  d.features = &features;
  d.rows = frame.num_rows();
  d.dim = features.type().dim;
  const Column& label = *frame.column(label_col);
  if (!label.type().is_numeric()) {
    throw SchemaError(fmt::format("{}: labelCol '{}' must be numeric, got {}", stage, label_col,
                                  label.type().ToString()));
  }
  d.labels = NumericValues(label);
  for (size_t i = 0; i < d.rows; ++i) {
    if (!std::isfinite(d.labels[i])) {
      throw InvalidArgument(fmt::format("{}: label column '{}' has a null or non-finite value ({}) at row {}; drop or "
                                        "fix those rows", stage, label_col, d.labels[i], i));
    }
  }
  if (weight_col.empty()) {
    d.weights.assign(d.rows, 1.0);
  } else {
    const Column& w = *frame.column(weight_col);
    if (!w.type().is_numeric()) {
      throw SchemaError(fmt::format("{}: weightCol '{}' must be numeric, got {}", stage, weight_col,
                                    w.type().ToString()));
    }
    d.weights = NumericValues(w);
    for (size_t i = 0; i < d.rows; ++i) {
      if (!(d.weights[i] >= 0) || !std::isfinite(d.weights[i])) {
        throw InvalidArgument(fmt::format("{}: weight column '{}' must be finite and >= 0; row {} has {}", stage,
                                          weight_col, i, d.weights[i]));
      }
    }
  }
  for (double w : d.weights) d.weight_sum += w;
  if (!(d.weight_sum > 0)) throw InvalidArgument(fmt::format("{}: the weights sum to zero", stage));
  if (features.null_count() > 0) {
    for (size_t i = 0; i < d.rows; ++i) {
      if (features.IsNull(i)) {
        throw InvalidArgument(fmt::format("{}: features column '{}' is null at row {}; use NaN entries for missing "
                                          "values", stage, features_col, i));
      }
    }
  }
  return d;
}

int CountClasses(const TreeTrainingData& data, std::string_view stage) {
  double top = 0;
  for (size_t i = 0; i < data.rows; ++i) {
    const double y = data.labels[i];
    if (y < 0 || y != std::floor(y) || y > 1e4) {
      throw InvalidArgument(fmt::format("{}: labels must be class indices 0, 1, ... (index strings with "
                                        "StringIndexer); row {} has {}", stage, i, y));
    }
    top = std::max(top, y);
  }
  return std::max(2, static_cast<int>(top) + 1);
}

int FeaturesPerNode(const std::string& strategy, TreeAlgorithm a, int num_trees, int d) {
  std::string s = strategy;
  if (s == "auto") {
    if (!IsForest(a) || num_trees == 1) return d;
    s = a == TreeAlgorithm::kRandomForestClassifier ? "sqrt" : "onethird";
  }
  if (s == "all") return d;
  if (s == "sqrt") return std::max(1, static_cast<int>(std::ceil(std::sqrt(d))));
  if (s == "log2") return std::max(1, static_cast<int>(std::ceil(std::log2(d))));
  if (s == "onethird") return std::max(1, static_cast<int>(std::ceil(d / 3.0)));
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  const bool parsed = !s.empty() && end == s.c_str() + s.size();
  if (parsed && s.find('.') == std::string::npos && v >= 1 && v == std::floor(v)) {
    return std::min(d, static_cast<int>(v));
  }
  if (parsed && v > 0 && v <= 1) return std::max(1, static_cast<int>(std::ceil(v * d)));
  throw InvalidArgument(fmt::format("featureSubsetStrategy '{}' is not valid; use auto, all, onethird, sqrt, log2, a "
                                    "fraction in (0, 1] or a count >= 1", strategy));
}

BinningOptions BinningOptionsFromParams(const ParamMap& p, int num_features, std::string_view stage) {
  BinningOptions o{.max_bins = static_cast<int>(p.GetInt("maxBins")), .seed = static_cast<uint64_t>(p.GetInt("seed"))};
  for (double v : p.GetDoubleList("categoricalFeatures")) {
    if (v != std::floor(v) || v >= num_features) {
      throw InvalidArgument(fmt::format("{}: categoricalFeatures holds {}, not a feature index 0..{}", stage, v,
                                        num_features - 1));
    }
    o.categorical_features.push_back(static_cast<int>(v));
  }
  std::sort(o.categorical_features.begin(), o.categorical_features.end());
  o.categorical_features.erase(std::unique(o.categorical_features.begin(), o.categorical_features.end()),
                               o.categorical_features.end());
  return o;
}

GrowOptions GrowOptionsFromParams(const ParamMap& p, Criterion criterion, int num_classes, double total_weight) {
  GrowOptions o;
  o.criterion = criterion;
  o.num_classes = num_classes;
  o.max_depth = static_cast<int>(p.GetInt("maxDepth"));
  o.max_leaves = static_cast<int>(p.GetInt("maxLeaves"));
  o.constraints.lambda = p.GetDouble("regLambda");
  o.constraints.min_child_weight = p.GetDouble("minChildWeight");
  o.constraints.min_instances = static_cast<double>(p.GetInt("minInstancesPerNode"));
  o.constraints.min_info_gain = p.GetDouble("minInfoGain");
  o.constraints.min_weight = p.GetDouble("minWeightFractionPerNode") * total_weight;
  o.seed = static_cast<uint64_t>(p.GetInt("seed"));
  if (p.table().Find("colsampleByTree")) o.colsample_by_tree = p.GetDouble("colsampleByTree");
  return o;
}

}  // namespace ember
