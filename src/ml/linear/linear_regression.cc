#include "ml/linear/linear_regression.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/parallel_for.h"
#include "ml/linear/design.h"
#include "ml/linear/lbfgs.h"
#include "ml/linear/least_squares.h"
#include "ml/pipeline/artifact.h"

namespace ember {

namespace {

void AddSharedParams(ParamTable& t) {
  t.String("featuresCol", "features", "input column of feature vectors")
      .String("labelCol", "label", "input column of the numeric target")
      .String("predictionCol", "prediction", "output column of predictions")
      .String("weightCol", "", "input column of row weights; '' means every row weighs 1")
      .Int("maxIter", 100, "maximum number of optimiser iterations", 0)
      .Double("regParam", 0.0, "regularisation strength", 0.0)
      .Double("elasticNetParam", 0.0, "L1 share of the penalty: 0 = ridge, 1 = lasso", 0.0, 1.0)
      .Double("tol", 1e-6, "convergence tolerance on the relative objective change", 0.0)
      .Bool("fitIntercept", true, "fit an intercept term")
      .Bool("standardization", true, "penalise standardised coefficients")
      .String("solver", "auto", "normal equations, L-BFGS, or auto (normal when possible)",
              {"auto", "normal", "l-bfgs"})
      .String("loss", "squaredError", "loss function", {"squaredError", "huber"})
      .Double("epsilon", 1.35, "Huber: residuals beyond epsilon * scale count linearly", 1.0, std::nullopt, false);
}

/// Huber objective over (standardised coefficients, intercept, log sigma):
///   (1 / 2W) sum_i w_i (sigma + H_eps(r_i / sigma) sigma) + (l2 / 2) ||beta||^2
/// with H_eps(z) = z^2 for |z| <= eps, 2 eps |z| - eps^2 beyond (Owen 2007,
/// as Spark and scikit-learn's HuberRegressor).
double HuberObjective(const Design& design, const std::vector<double>& inv_std, const std::vector<double>& mean,
                      double l2, bool standardization, bool fit_intercept, double eps, std::span<const double> theta,
                      std::span<double> grad, const Context& ctx) {
  const auto d = static_cast<size_t>(design.dim);
  std::vector<double> coef(d);
  double offset = fit_intercept ? theta[d] : 0.0;
  for (size_t j = 0; j < d; ++j) {
    coef[j] = theta[j] * inv_std[j];
    offset -= coef[j] * mean[j];
  }
  const double log_sigma = theta[theta.size() - 1];
  const double sigma = std::exp(log_sigma);
  struct Partial {
    double loss = 0, dsigma = 0;
    std::vector<double> g;
  };
  const Partial t = ParallelReduce(ctx, design.rows, kDefaultBlockRows, Partial{}, [&](const BlockRange& r) {
    Partial p{0, 0, std::vector<double>(d + 1, 0.0)};
    for (size_t i = r.begin; i < r.end; ++i) {
      const double w = design.weight(i);
      double m = offset;
      const SparseRow row = design.sparse() ? design.features->SparseRowAt(i) : SparseRow{};
      const float* x = design.sparse() ? nullptr : design.features->DenseRow(i).data();
      if (x) {
        for (size_t j = 0; j < d; ++j) m += coef[j] * x[j];
      } else {
        for (size_t k = 0; k < row.indices.size(); ++k) m += coef[row.indices[k]] * row.values[k];
      }
      const double res = m - design.labels[i];
      const double z = res / sigma;
      double h, dh;  // H(z) and dH/dz
      if (std::abs(z) <= eps) {
        h = z * z, dh = 2 * z;
      } else {
        h = 2 * eps * std::abs(z) - eps * eps, dh = 2 * eps * (z > 0 ? 1 : -1);
      }
      p.loss += w * (sigma + h * sigma);
      // d/dsigma of sigma + H(r/sigma) sigma = 1 + H - z H'(z).
      p.dsigma += w * (1 + h - z * dh);
      const double dm = w * dh;  // d/dm of H(r/sigma) sigma
      if (x) {
        for (size_t j = 0; j < d; ++j) p.g[j] += dm * x[j];
      } else {
        for (size_t k = 0; k < row.indices.size(); ++k) p.g[row.indices[k]] += dm * row.values[k];
      }
      p.g[d] += dm;
    }
    return p;
  }, [d](Partial a, Partial b) {
    if (a.g.empty()) return b;
    a.loss += b.loss;
    a.dsigma += b.dsigma;
    for (size_t j = 0; j <= d; ++j) a.g[j] += b.g[j];
    return a;
  });
  const double scale = 0.5 / design.weight_sum;
  double value = t.loss * scale;
  for (size_t j = 0; j < d; ++j) {
    const double pen = standardization ? l2 : l2 * inv_std[j] * inv_std[j];
    grad[j] = (t.g[j] - mean[j] * t.g[d]) * inv_std[j] * scale + pen * theta[j];
    value += 0.5 * pen * theta[j] * theta[j];
  }
  if (fit_intercept) grad[d] = t.g[d] * scale;
  grad[theta.size() - 1] = t.dsigma * scale * sigma;  // chain rule through sigma = exp(log_sigma)
  return value;
}

}  // namespace

const ParamTable& LinearRegression::Params() {
  static const ParamTable table = [] {
    ParamTable t("LinearRegression");
    AddSharedParams(t);
    return t;
  }();
  return table;
}

const ParamTable& LinearRegressionModel::Params() {
  static const ParamTable table = [] {
    ParamTable t("LinearRegressionModel");
    AddSharedParams(t);
    return t;
  }();
  return table;
}

Schema LinearRegression::TransformSchema(const Schema& input) const {
  RequireSupervisedInputs(*this, input);
  RequireAbsent(*this, input, "predictionCol", params().GetString("predictionCol"));
  return AppendField(input, {params().GetString("predictionCol"), DataType::Float64(), {}});
}

ModelPtr LinearRegression::Fit(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const ParamMap& p = params();
  const Design design = MakeDesign(input, p.GetString("featuresCol"), p.GetString("labelCol"),
                                   p.GetString("weightCol"), "LinearRegression", ctx);
  const FeatureStats stats = ComputeFeatureStats(design, ctx);
  const double reg = p.GetDouble("regParam");
  const double alpha = p.GetDouble("elasticNetParam");
  const bool huber = p.GetString("loss") == "huber";
  const std::string solver = p.GetString("solver");
  if (huber && solver == "normal") {
    throw InvalidArgument("LinearRegression: loss 'huber' needs solver 'l-bfgs' or 'auto', not 'normal'");
  }
  if (huber && alpha > 0) {
    throw InvalidArgument("LinearRegression: loss 'huber' supports only L2 regularisation (elasticNetParam = 0)");
  }
  if (solver == "normal" && reg * alpha > 0) {
    throw InvalidArgument("LinearRegression: solver 'normal' supports only L2 regularisation; use 'l-bfgs' or 'auto'");
  }
  LeastSquaresOptions o{p.GetBool("fitIntercept"), p.GetBool("standardization"), reg * (1.0 - alpha)};
  LinearRegressionSummary summary;
  std::vector<double> coefficients;
  double intercept = 0;
  const bool use_normal = !huber && reg * alpha == 0 && solver != "l-bfgs" && design.dim <= 4096;
  LbfgsOptions lo;
  lo.max_iterations = static_cast<int>(p.GetInt("maxIter"));
  lo.tolerance = p.GetDouble("tol");
  if (use_normal) {
    SolveNormalEquations(design, stats, o, ctx, &coefficients, &intercept);
  } else if (!huber) {
    const LeastSquaresObjective objective(design, stats, o, ctx);
    if (reg * alpha > 0) lo.l1 = objective.L1Weights(reg * alpha);
    const LbfgsResult r = MinimizeLbfgs([&](std::span<const double> x, std::span<double> g) { return objective(x, g); },
                                        std::vector<double>(objective.num_params(), 0.0), lo);
    objective.ToOriginalScale(r.x, &coefficients, &intercept);
    summary.objective_history = r.objective_history;
    summary.total_iterations = r.iterations;
  } else {
    const auto d = static_cast<size_t>(design.dim);
    const Standardization scales = Standardization::Make(stats, o.fit_intercept);
    const std::vector<double>& inv_std = scales.inv_std;
    const std::vector<double>& mean = scales.mean;
    const double eps = p.GetDouble("epsilon");
    std::vector<double> theta(d + (o.fit_intercept ? 1 : 0) + 1, 0.0);
    const LbfgsResult r = MinimizeLbfgs(
        [&](std::span<const double> x, std::span<double> g) {
          return HuberObjective(design, inv_std, mean, o.l2, o.standardization, o.fit_intercept, eps, x, g, ctx);
        },
        theta, lo);
    coefficients.assign(d, 0.0);
    intercept = o.fit_intercept ? r.x[d] : 0.0;
    for (size_t j = 0; j < d; ++j) {
      coefficients[j] = r.x[j] * inv_std[j];
      intercept -= coefficients[j] * mean[j];
    }
    summary.scale = std::exp(r.x.back());
    summary.objective_history = r.objective_history;
    summary.total_iterations = r.iterations;
  }
  // Training metrics.
  double sse = 0, sae = 0, ss_tot = 0, y_mean = 0;
  for (size_t i = 0; i < design.rows; ++i) y_mean += design.weight(i) * design.labels[i];
  y_mean /= design.weight_sum;
  for (size_t i = 0; i < design.rows; ++i) {
    double m = intercept;
    if (design.sparse()) {
      const SparseRow row = design.features->SparseRowAt(i);
      for (size_t k = 0; k < row.indices.size(); ++k) m += coefficients[row.indices[k]] * row.values[k];
    } else {
      const auto x = design.features->DenseRow(i);
      for (size_t j = 0; j < x.size(); ++j) m += coefficients[j] * x[j];
    }
    const double w = design.weight(i), res = design.labels[i] - m;
    sse += w * res * res;
    sae += w * std::abs(res);
    ss_tot += w * (design.labels[i] - y_mean) * (design.labels[i] - y_mean);
  }
  summary.rmse = std::sqrt(sse / design.weight_sum);
  summary.mae = sae / design.weight_sum;
  summary.r2 = ss_tot > 0 ? 1.0 - sse / ss_tot : 0.0;
  ParamMap model_params(LinearRegressionModel::Params());
  model_params.SetFromJson(p.ExplicitToJson());
  return std::make_shared<LinearRegressionModel>(std::move(model_params), uid(), input.schema(),
                                                 std::move(coefficients), intercept, std::move(summary));
}

LinearRegressionModel::LinearRegressionModel(ParamMap params, std::string uid, Schema input_schema,
                                             std::vector<double> coefficients, double intercept,
                                             LinearRegressionSummary summary)
    : Model(std::move(params), std::move(uid), std::move(input_schema)), coefficients_(std::move(coefficients)),
      intercept_(intercept), summary_(std::move(summary)) {}

Schema LinearRegressionModel::TransformSchema(const Schema& input) const {
  const Field& f = RequireColumn(*this, input, "featuresCol", params().GetString("featuresCol"));
  if (!f.type.is_vector() || f.type.dim != static_cast<int32_t>(coefficients_.size())) {
    throw SchemaError(fmt::format("LinearRegressionModel: featuresCol '{}' must be a vector of {} features, got {}",
                                  f.name, coefficients_.size(), f.type.ToString()));
  }
  RequireAbsent(*this, input, "predictionCol", params().GetString("predictionCol"));
  return AppendField(input, {params().GetString("predictionCol"), DataType::Float64(), {}});
}

DataFrame LinearRegressionModel::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& features = *input.column(params().GetString("featuresCol"));
  const size_t n = input.num_rows();
  auto out = Buffer::Allocate(n * sizeof(double));
  double* pred = out->mutable_as<double>();
  ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
    for (size_t i = r.begin; i < r.end; ++i) {
      double m = intercept_;
      if (features.type().id == TypeId::kSparseVector) {
        const SparseRow row = features.SparseRowAt(i);
        for (size_t k = 0; k < row.indices.size(); ++k) m += coefficients_[row.indices[k]] * row.values[k];
      } else {
        const auto x = features.DenseRow(i);
        for (size_t j = 0; j < x.size(); ++j) m += coefficients_[j] * x[j];
      }
      pred[i] = m;
    }
  });
  return input.WithColumn(params().GetString("predictionCol"),
                          Column::Make(DataType::Float64(), n, {.values = std::move(out)}));
}

void LinearRegressionModel::SaveData(ArtifactWriter& writer) const {
  writer.PutDoubles("coefficients", coefficients_);
  writer.PutDoubles("objectiveHistory", summary_.objective_history);
  writer.extra() = {{"intercept", intercept_}, {"totalIterations", summary_.total_iterations},
                    {"r2", summary_.r2}, {"rmse", summary_.rmse}, {"mae", summary_.mae}, {"scale", summary_.scale}};
}

void RegisterLinearRegression(StageRegistry& registry) {
  registry.Register({
      .name = "LinearRegression",
      .kind = StageKind::kEstimator,
      .params = &LinearRegression::Params(),
      .make = [](ParamMap p, std::string uid) { return std::make_unique<LinearRegression>(std::move(p), uid); },
      .doc = "least-squares or Huber linear regression with elastic-net regularisation",
  });
  registry.Register({
      .name = "LinearRegressionModel",
      .kind = StageKind::kModel,
      .params = &LinearRegressionModel::Params(),
      .load = [](const ArtifactReader& r, const StageRegistry&) -> std::shared_ptr<const Stage> {
        LinearRegressionSummary s;
        s.objective_history = r.GetDoubles("objectiveHistory");
        s.total_iterations = r.ExtraValue<int>("totalIterations");
        s.r2 = r.ExtraValue<double>("r2");
        s.rmse = r.ExtraValue<double>("rmse");
        s.mae = r.ExtraValue<double>("mae");
        s.scale = r.ExtraValue<double>("scale");
        return std::make_shared<LinearRegressionModel>(r.Params(LinearRegressionModel::Params()), r.uid(),
                                                       r.InputSchema(), r.GetDoubles("coefficients"),
                                                       r.ExtraValue<double>("intercept"), std::move(s));
      },
      .doc = "a fitted linear regression",
  });
}

}  // namespace ember
