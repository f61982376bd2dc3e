// What the six tree stages share: the algorithm list, each stage's declared
// params (Spark's names and defaults plus maxLeaves, regLambda and
// minChildWeight), reading and checking the training columns, and turning
// params into GrowOptions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "frame/dataframe.h"
#include "ml/param/param.h"
#include "ml/tree/tree_learner.h"

namespace ember {

enum class TreeAlgorithm {
  kDecisionTreeClassifier,
  kDecisionTreeRegressor,
  kRandomForestClassifier,
  kRandomForestRegressor,
  kGBTClassifier,
  kGBTRegressor,
};

/// "GBTClassifier", ...; with model: "GBTClassificationModel", ... (Spark).
std::string TreeStageName(TreeAlgorithm algorithm, bool model);
bool IsClassifier(TreeAlgorithm algorithm);

/// The param table of an estimator or its model (models share the
/// estimator's params so a fitted model records how it was trained).
const ParamTable& TreeParams(TreeAlgorithm algorithm, bool model);

/// The training columns read into doubles. Rows with weight 0 stay in (they
/// add nothing); weights are all 1 without weightCol.
struct TreeTrainingData {
  const Column* features = nullptr;
  std::vector<double> labels;
  std::vector<double> weights;
  double weight_sum = 0;
  size_t rows = 0;
  int32_t dim = 0;
};

/// Reads featuresCol, labelCol and weightCol. Throws SchemaError for a
/// missing or mistyped column and InvalidArgument naming the stage, column
/// and row for a null/NaN label, a negative or non-finite weight, a null
/// features row, an empty frame or more than 2^32 - 1 rows. NaN feature
/// values are allowed (they take the missing bin).
TreeTrainingData ReadTreeTrainingData(const DataFrame& frame, const ParamMap& params, std::string_view stage);

/// Checks labels are class indices 0, 1, ... and returns the class count
/// (at least 2). Throws InvalidArgument naming the row otherwise.
int CountClasses(const TreeTrainingData& data, std::string_view stage);

/// Features per node for featureSubsetStrategy ('auto', 'all', 'onethird',
/// 'sqrt', 'log2', a fraction in (0, 1] or a count n >= 1), as Spark: 'auto'
/// is sqrt for forest classification, onethird for forest regression and
/// all otherwise. Throws InvalidArgument for any other text.
int FeaturesPerNode(const std::string& strategy, TreeAlgorithm algorithm, int num_trees, int num_features);

/// GrowOptions from maxDepth, maxLeaves, minInstancesPerNode, minInfoGain,
/// minWeightFractionPerNode (times total_weight), regLambda, minChildWeight,
/// seed and (forests and boosting) colsampleByTree.
/// Binning options from maxBins, seed and categoricalFeatures (checked to
/// be feature indices below num_features; throws InvalidArgument naming the
/// stage otherwise).
BinningOptions BinningOptionsFromParams(const ParamMap& params, int num_features, std::string_view stage);

GrowOptions GrowOptionsFromParams(const ParamMap& params, Criterion criterion, int num_classes, double total_weight);

}  // namespace ember
