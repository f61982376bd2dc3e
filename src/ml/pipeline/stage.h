// The stage abstractions of a pipeline, as in Spark ML: a Transformer maps a
// DataFrame to a DataFrame; an Estimator fits a Model (a Transformer) to a
// DataFrame. Every stage has a uid and a ParamMap over its declared params.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/context.h"
#include "frame/dataframe.h"
#include "ml/param/param.h"

namespace ember {

class ArtifactWriter;

class Stage {
 public:
  virtual ~Stage() = default;

  /// The Spark-style class name ("StandardScaler", "StandardScalerModel").
  const std::string& class_name() const { return params_.table().stage_name(); }
  const std::string& uid() const { return uid_; }
  const ParamMap& params() const { return params_; }

  /// The schema Transform/Fit would produce from `input`. Every input check
  /// (missing column, wrong type, output column already present) happens
  /// here, before any work, and throws SchemaError naming the stage, the
  /// column and what was expected.
  virtual Schema TransformSchema(const Schema& input) const = 0;

  /// Writes what the stage learned (arrays and small JSON) for save(). Stages
  /// that are fully described by their params write nothing.
  virtual void SaveData(ArtifactWriter& writer) const {}

 protected:
  Stage(ParamMap params, std::string uid) : params_(std::move(params)), uid_(std::move(uid)) {}
  ParamMap params_;

 private:
  std::string uid_;
};

/// Maps a frame to a frame. Transform is const and thread-safe: a fitted
/// transformer may serve many threads at once.
class Transformer : public Stage {
 public:
  virtual DataFrame Transform(const DataFrame& input, const Context& ctx) const = 0;

 protected:
  using Stage::Stage;
};

/// A fitted transformer; immutable after construction.
class Model : public Transformer {
 public:
  /// The schema of the frame the model was fitted on (empty when unknown);
  /// saved as inputSchema, with TransformSchema of it as outputSchema.
  const Schema& input_schema() const { return input_schema_; }

 protected:
  Model(ParamMap params, std::string uid, Schema input_schema)
      : Transformer(std::move(params), std::move(uid)), input_schema_(std::move(input_schema)) {}

 private:
  Schema input_schema_;
};

using TransformerPtr = std::shared_ptr<const Transformer>;
using ModelPtr = std::shared_ptr<const Model>;

/// A fitted model with its own output on the data it was fitted on.
struct FitOutput {
  ModelPtr model;
  DataFrame output;
};

class Estimator : public Stage {
 public:
  /// Fits to `input`; the returned model shares nothing mutable with this estimator.
  virtual ModelPtr Fit(const DataFrame& input, const Context& ctx) const = 0;
  /// Fit(input), and that model's Transform(input): the same model and the
  /// same frame. The default does exactly that; estimators override it when
  /// the fit's pass over the data can also produce the output (scikit-learn's
  /// fit_transform).
  virtual FitOutput FitTransform(const DataFrame& input, const Context& ctx) const {
    ModelPtr model = Fit(input, ctx);
    DataFrame output = model->Transform(input, ctx);
    return {std::move(model), std::move(output)};
  }

 protected:
  using Stage::Stage;
};

/// A new unique id "ClassName_1a2b3c4d5e6f" (Spark's uid shape).
std::string MakeUid(std::string_view class_name);

// Helpers for TransformSchema implementations; each error names the stage.

/// The field of `column`, which must exist (SchemaError otherwise).
const Field& RequireColumn(const Stage& stage, const Schema& schema, std::string_view param, const std::string& column);
/// As RequireColumn, also checking that its type is numeric (bool/int/float).
const Field& RequireNumericColumn(const Stage& stage, const Schema& schema, std::string_view param,
                                  const std::string& column);
/// Throws SchemaError when `column` already exists in `schema`.
void RequireAbsent(const Stage& stage, const Schema& schema, std::string_view param, const std::string& column);
/// `schema` with a field appended.
Schema AppendField(const Schema& schema, Field field);

}  // namespace ember
