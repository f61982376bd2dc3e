// LinearRegression with Spark's params: least squares (normal equations or
// L-BFGS / OWL-QN for elastic net) and Huber loss, with a training summary.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// Training-set statistics and optimiser trace (Spark's LinearRegressionSummary).
struct LinearRegressionSummary {
  std::vector<double> objective_history;  // empty for the normal-equation solver
  int total_iterations = 0;
  double r2 = 0, rmse = 0, mae = 0;
  double scale = 1.0;  // Huber's fitted sigma (1 for squared error)
};

class LinearRegressionModel final : public Model {
 public:
  LinearRegressionModel(ParamMap params, std::string uid, Schema input_schema, std::vector<double> coefficients,
                        double intercept, LinearRegressionSummary summary);

  const std::vector<double>& coefficients() const { return coefficients_; }
  double intercept() const { return intercept_; }
  const LinearRegressionSummary& summary() const { return summary_; }

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;
  static const ParamTable& Params();

 private:
  std::vector<double> coefficients_;
  double intercept_;
  LinearRegressionSummary summary_;
};

class LinearRegression final : public Estimator {
 public:
  LinearRegression(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}
  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
  static const ParamTable& Params();
};

/// Adds LinearRegression and LinearRegressionModel.
void RegisterLinearRegression(StageRegistry& registry);

}  // namespace ember
