#include "ml/linear/logistic_regression.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/parallel_for.h"
#include "ml/eval/binary_curve.h"
#include "ml/linear/design.h"
#include "ml/linear/lbfgs.h"
#include "ml/linear/logistic_objective.h"
#include "ml/pipeline/artifact.h"
#include "ml/pipeline/classifier_output.h"

namespace ember {

namespace {

void AddSharedParams(ParamTable& t) {
  t.String("featuresCol", "features", "input column of feature vectors")
      .String("labelCol", "label", "input column of class indices 0, 1, ..., K-1")
      .String("weightCol", "", "input column of row weights; '' means every row weighs 1")
      .Int("maxIter", 100, "maximum number of optimiser iterations", 0)
      .Double("regParam", 0.0, "regularisation strength", 0.0)
      .Double("elasticNetParam", 0.0, "L1 share of the penalty: 0 = L2 (ridge), 1 = L1 (lasso)", 0.0, 1.0)
      .Double("tol", 1e-6, "convergence tolerance on the relative objective change", 0.0)
      .Bool("fitIntercept", true, "fit an intercept term")
      .Bool("standardization", true, "standardise features before fitting (penalty on standardised coefficients)")
      .Double("threshold", 0.5, "binomial: predict 1 when P(1) > threshold", 0.0, 1.0)
      .DoubleList("thresholds", std::vector<double>{}, "per-class thresholds: predict argmax p_k / t_k", 0.0)
      .String("family", "auto", "label distribution", {"auto", "binomial", "multinomial"});
  AddClassifierOutputParams(t);
}

std::vector<double> EffectiveThresholds(const ParamMap& p, int num_classes) {
  std::vector<double> t = p.GetDoubleList("thresholds");
  if (!t.empty()) {
    if (static_cast<int>(t.size()) != num_classes) {
      throw InvalidArgument(fmt::format("LogisticRegression: thresholds has {} entries for {} classes", t.size(),
                                        num_classes));
    }
    return t;
  }
  if (num_classes == 2) {
    const double th = p.GetDouble("threshold");
    return {1.0 - th, th};  // p1 / th > p0 / (1 - th)  <=>  p1 > th
  }
  return {};
}

}  // namespace

const ParamTable& LogisticRegression::Params() {
  static const ParamTable table = [] {
    ParamTable t("LogisticRegression");
    AddSharedParams(t);
    return t;
  }();
  return table;
}

const ParamTable& LogisticRegressionModel::Params() {
  static const ParamTable table = [] {
    ParamTable t("LogisticRegressionModel");
    AddSharedParams(t);
    return t;
  }();
  return table;
}

Schema LogisticRegression::TransformSchema(const Schema& input) const {
  RequireSupervisedInputs(*this, input);
  // The class count is only known after reading labels; 2 is what the
  // schema can promise for the binomial default.
  return AppendClassifierOutputs(*this, input, ClassifierColumns::FromParams(params()), 2);
}

ModelPtr LogisticRegression::Fit(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const ParamMap& p = params();
  Design design = MakeDesign(input, p.GetString("featuresCol"), p.GetString("labelCol"),
                                   p.GetString("weightCol"), "LogisticRegression", ctx);
  // Labels must be class indices; the class count is max + 1.
  double max_label = 0;
  std::vector<double> class_weight;
  for (size_t i = 0; i < design.rows; ++i) {
    const double y = design.labels[i];
    if (y < 0 || y != std::floor(y) || y > 1e6) {
      throw InvalidArgument(fmt::format("LogisticRegression: labels must be class indices 0, 1, ...; row {} has {}",
                                        i, y));
    }
    max_label = std::max(max_label, y);
    if (class_weight.size() <= static_cast<size_t>(y)) class_weight.resize(static_cast<size_t>(y) + 1, 0.0);
    class_weight[static_cast<size_t>(y)] += design.weight(i);
  }
  const int num_classes = std::max(2, static_cast<int>(max_label) + 1);
  const std::string family = p.GetString("family");
  if (family == "binomial" && num_classes > 2) {
    throw InvalidArgument(fmt::format("LogisticRegression: family 'binomial' needs labels in {{0, 1}}, found label {}; "
                                      "use family 'multinomial'", max_label));
  }
  size_t present = 0;
  for (double w : class_weight) present += w > 0;
  if (present < 2) {
    throw InvalidArgument(fmt::format("LogisticRegression: every training label is {}; a classifier needs at least two "
                                      "classes", max_label));
  }
  const bool multinomial = family == "multinomial" || (family == "auto" && num_classes > 2);

  const FeatureStats stats = ComputeFeatureStats(design, ctx);
  const double reg = p.GetDouble("regParam");
  const double alpha = p.GetDouble("elasticNetParam");
  LogisticObjectiveOptions o;
  o.num_margins = multinomial ? num_classes : 1;
  o.fit_intercept = p.GetBool("fitIntercept");
  o.standardization = p.GetBool("standardization");
  o.l2 = reg * (1.0 - alpha);
  const LogisticObjective objective(design, stats, o, ctx);

  std::vector<double> theta(objective.num_params(), 0.0);
  if (o.fit_intercept && !multinomial) {
    // Start at the intercept that matches the class balance (as Spark does).
    const double p1 = class_weight[1] / design.weight_sum;
    theta.back() = std::log(p1 / (1.0 - p1));
  }
  LbfgsOptions lo;
  lo.max_iterations = static_cast<int>(p.GetInt("maxIter"));
  lo.tolerance = p.GetDouble("tol");
  if (reg * alpha > 0) lo.l1 = objective.L1Weights(reg * alpha);
  const std::unique_ptr<ProgressBar> progress =
      ctx.progress().Start("L-BFGS", static_cast<uint64_t>(lo.max_iterations), "iterations");
  lo.on_iteration = [&](int) { progress->Advance(1); };
  const LbfgsResult result = MinimizeLbfgs(
      [&](std::span<const double> x, std::span<double> g) { return objective(x, g); }, theta, lo);

  std::vector<double> coefficients, intercepts;
  objective.ToOriginalScale(result.x, &coefficients, &intercepts);
  LogisticRegressionSummary summary{result.objective_history, result.iterations, result.converged,
                                    result.stop_reason, NAN, NAN};
  if (!multinomial) {
    // ROC and PR areas on the training rows; the margin ranks rows as the
    // probability does. float32 margins: the sort then runs on 32-bit keys
    // and with the margins needs 20 bytes a row instead of 41 (at 10M x 28
    // the difference is a seventh of the feature matrix); rounding the
    // margins to floats can only tie rows whose margins differ by < 1e-7
    // relative, which moves the areas by far less than that.
    std::vector<float> margin(design.rows);
    std::vector<uint8_t> label(design.rows);
    ParallelFor(ctx, design.rows, kDefaultBlockRows, [&](const BlockRange& r) {
      for (size_t i = r.begin; i < r.end; ++i) {
        double m = intercepts[0];
        if (design.sparse()) {
          const SparseRow row = design.features->SparseRowAt(i);
          for (size_t k = 0; k < row.indices.size(); ++k) m += coefficients[row.indices[k]] * row.values[k];
        } else {
          const auto x = design.features->DenseRow(i);
          for (size_t j = 0; j < x.size(); ++j) m += coefficients[j] * x[j];
        }
        margin[i] = static_cast<float>(m);
        label[i] = design.labels[i] > 0.5 ? 1 : 0;
      }
    });
    std::vector<double>().swap(design.labels);  // not needed any more: lowers the peak of the sort below
    const BinaryCurveAreas areas = ComputeBinaryAreas(margin, label, design.weights, ctx);
    summary.area_under_roc = areas.area_under_roc;
    summary.area_under_pr = areas.area_under_pr;
  }
  ParamMap model_params(LogisticRegressionModel::Params());
  model_params.SetFromJson(p.ExplicitToJson());
  return std::make_shared<LogisticRegressionModel>(std::move(model_params), uid(), input.schema(), num_classes,
                                                   design.dim, multinomial, std::move(coefficients),
                                                   std::move(intercepts), std::move(summary));
}

LogisticRegressionModel::LogisticRegressionModel(ParamMap params, std::string uid, Schema input_schema,
                                                 int num_classes, int num_features, bool multinomial,
                                                 std::vector<double> coefficients, std::vector<double> intercepts,
                                                 LogisticRegressionSummary summary)
    : Model(std::move(params), std::move(uid), std::move(input_schema)), num_classes_(num_classes),
      num_features_(num_features), multinomial_(multinomial), coefficients_(std::move(coefficients)),
      intercepts_(std::move(intercepts)), summary_(std::move(summary)) {
  const size_t margins = multinomial_ ? static_cast<size_t>(num_classes_) : 1;
  if (coefficients_.size() != margins * static_cast<size_t>(num_features_) || intercepts_.size() != margins) {
    throw CorruptData(fmt::format("LogisticRegressionModel: {} coefficients and {} intercepts do not fit {} margins x "
                                  "{} features", coefficients_.size(), intercepts_.size(), margins, num_features_));
  }
}

Schema LogisticRegressionModel::TransformSchema(const Schema& input) const {
  const Field& f = RequireColumn(*this, input, "featuresCol", params().GetString("featuresCol"));
  if (!f.type.is_vector() || f.type.dim != num_features_) {
    throw SchemaError(fmt::format("LogisticRegressionModel: featuresCol '{}' must be a vector of {} features, got {}",
                                  f.name, num_features_, f.type.ToString()));
  }
  return AppendClassifierOutputs(*this, input, ClassifierColumns::FromParams(params()), num_classes_);
}

DataFrame LogisticRegressionModel::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& features = *input.column(params().GetString("featuresCol"));
  const auto d = static_cast<size_t>(num_features_);
  const size_t margins = multinomial_ ? static_cast<size_t>(num_classes_) : 1;
  const bool sparse = features.type().id == TypeId::kSparseVector;
  const std::vector<double> thresholds = EffectiveThresholds(params(), num_classes_);
  auto score = [&](size_t i, std::span<double> raw, std::span<double> prob) {
    double m[64];
    std::vector<double> big;
    double* mp = m;
    if (margins > 64) {
      big.resize(margins);
      mp = big.data();
    }
    for (size_t k = 0; k < margins; ++k) {
      const double* c = coefficients_.data() + k * d;
      double s = intercepts_[k];
      if (sparse) {
        const SparseRow row = features.SparseRowAt(i);
        for (size_t t = 0; t < row.indices.size(); ++t) s += c[row.indices[t]] * row.values[t];
      } else {
        const float* x = features.DenseRow(i).data();
        for (size_t j = 0; j < d; ++j) s += c[j] * static_cast<double>(x[j]);
      }
      mp[k] = s;
    }
    if (!multinomial_) {
      raw[0] = -mp[0];
      raw[1] = mp[0];
      prob[1] = 1.0 / (1.0 + std::exp(-mp[0]));
      prob[0] = 1.0 - prob[1];
      return;
    }
    double top = mp[0];
    for (size_t k = 1; k < margins; ++k) top = std::max(top, mp[k]);
    double sum = 0;
    for (size_t k = 0; k < margins; ++k) sum += prob[k] = std::exp(mp[k] - top);
    for (size_t k = 0; k < margins; ++k) {
      raw[k] = mp[k];
      prob[k] /= sum;
    }
  };
  return AppendClassifierPredictions(input, ClassifierColumns::FromParams(params()), num_classes_, thresholds, score,
                                     ctx);
}

void LogisticRegressionModel::SaveData(ArtifactWriter& writer) const {
  writer.PutDoubles("coefficients", coefficients_);
  writer.PutDoubles("intercepts", intercepts_);
  writer.PutDoubles("objectiveHistory", summary_.objective_history);
  writer.extra() = {{"numClasses", num_classes_}, {"numFeatures", num_features_}, {"multinomial", multinomial_},
                    {"totalIterations", summary_.total_iterations}, {"converged", summary_.converged},
                    {"stopReason", summary_.stop_reason}, {"areaUnderROC", summary_.area_under_roc},
                    {"areaUnderPR", summary_.area_under_pr}};
}

void RegisterLogisticRegression(StageRegistry& registry) {
  registry.Register({
      .name = "LogisticRegression",
      .kind = StageKind::kEstimator,
      .params = &LogisticRegression::Params(),
      .make = [](ParamMap p, std::string uid) { return std::make_unique<LogisticRegression>(std::move(p), uid); },
      .doc = "binomial or multinomial logistic regression (L-BFGS / OWL-QN)",
  });
  registry.Register({
      .name = "LogisticRegressionModel",
      .kind = StageKind::kModel,
      .params = &LogisticRegressionModel::Params(),
      .load = [](const ArtifactReader& r, const StageRegistry&) -> std::shared_ptr<const Stage> {
        LogisticRegressionSummary s{r.GetDoubles("objectiveHistory"), r.ExtraValue<int>("totalIterations"),
                                    r.ExtraValue<bool>("converged"), r.ExtraValue<std::string>("stopReason"), NAN,
                                    NAN};
        // NaN areas (multinomial) are stored as JSON null.
        if (r.extra().contains("areaUnderROC") && r.extra()["areaUnderROC"].is_number()) {
          s.area_under_roc = r.ExtraValue<double>("areaUnderROC");
          s.area_under_pr = r.ExtraValue<double>("areaUnderPR");
        }
        return std::make_shared<LogisticRegressionModel>(
            r.Params(LogisticRegressionModel::Params()), r.uid(), r.InputSchema(), r.ExtraValue<int>("numClasses"),
            r.ExtraValue<int>("numFeatures"), r.ExtraValue<bool>("multinomial"), r.GetDoubles("coefficients"),
            r.GetDoubles("intercepts"), std::move(s));
      },
      .doc = "a fitted logistic regression",
  });
}

}  // namespace ember
