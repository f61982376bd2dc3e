// LogisticRegression (binomial and multinomial) with Spark's params and
// defaults, fitted by L-BFGS (OWL-QN with an L1 term) over standardised
// features; coefficients are reported on the original scale.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// What training did, kept with the model (Spark's training summary).
struct LogisticRegressionSummary {
  std::vector<double> objective_history;
  int total_iterations = 0;
  bool converged = false;
  std::string stop_reason;
  /// Binomial only (NaN for multinomial): exact areas on the training rows.
  double area_under_roc = 0;
  double area_under_pr = 0;
};

class LogisticRegressionModel final : public Model {
 public:
  LogisticRegressionModel(ParamMap params, std::string uid, Schema input_schema, int num_classes, int num_features,
                          bool multinomial, std::vector<double> coefficients, std::vector<double> intercepts,
                          LogisticRegressionSummary summary);

  int num_classes() const { return num_classes_; }
  int num_features() const { return num_features_; }
  bool multinomial() const { return multinomial_; }
  /// num_margins x num_features, row-major (1 row for binomial).
  const std::vector<double>& coefficients() const { return coefficients_; }
  const std::vector<double>& intercepts() const { return intercepts_; }
  const LogisticRegressionSummary& summary() const { return summary_; }

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;

  static const ParamTable& Params();

 private:
  int num_classes_;
  int num_features_;
  bool multinomial_;
  std::vector<double> coefficients_;
  std::vector<double> intercepts_;
  LogisticRegressionSummary summary_;
};

class LogisticRegression final : public Estimator {
 public:
  LogisticRegression(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}

  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
  static const ParamTable& Params();
};

/// Adds LogisticRegression and LogisticRegressionModel.
void RegisterLogisticRegression(StageRegistry& registry);

}  // namespace ember
