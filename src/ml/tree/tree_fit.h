// The two training procedures behind the tree estimators: gradient boosting
// (GBTClassifier, GBTRegressor) and bagged/single trees (RandomForest*,
// DecisionTree*). Both bin the features once and grow every tree on the
// same BinnedMatrix.
#pragma once

#include <string>

#include "core/context.h"
#include "frame/dataframe.h"
#include "ml/pipeline/stage.h"
#include "ml/tree/tree_params.h"

namespace ember {

/// Second-order boosting: each round fits a tree to the loss's gradient and
/// hessian (Newton leaves -G / (H + regLambda), shrunk by stepSize; absolute
/// loss refits leaves to the weighted median residual). Records the
/// training (and validation) loss per round. Throws InvalidArgument for
/// labels other than 0/1 with the logistic loss.
ModelPtr FitBoostedTrees(TreeAlgorithm algorithm, const ParamMap& params, const std::string& uid,
                         const DataFrame& input, const Context& ctx);

/// Random forest (trees in parallel, each on seeded Poisson/Bernoulli row
/// weights and per-node feature subsets) or, for DecisionTree*, one tree on
/// all rows and features. Classification splits class-weight histograms by
/// gini/entropy; regression uses variance (Newton with g = -w y, h = w).
ModelPtr FitForest(TreeAlgorithm algorithm, const ParamMap& params, const std::string& uid, const DataFrame& input,
                   const Context& ctx);

}  // namespace ember
