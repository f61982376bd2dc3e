// StringIndexer (an estimator mapping string labels to indices), its fitted
// StringIndexerModel, and IndexToString (the inverse mapping), as Spark's
// pyspark.ml.feature classes of the same names.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ml/feature/string_map.h"
#include "ml/pipeline/registry.h"
#include "ml/pipeline/stage.h"

namespace ember {

/// Params: inputCol/outputCol or inputCols/outputCols (string, bool or
/// numeric columns; numbers are indexed by their text form: "3", "2.5",
/// "1.0", "true"), handleInvalid ('error' default, 'skip', 'keep'),
/// stringOrderType ('frequencyDesc' default, 'frequencyAsc', 'alphabetDesc',
/// 'alphabetAsc'; equal frequencies are ordered alphabetically, as Spark 3).
///
/// Fit counts the non-null values of each input column; nulls are ignored.
class StringIndexer final : public Estimator {
 public:
  StringIndexer(ParamMap params, std::string uid) : Estimator(std::move(params), std::move(uid)) {}

  static const ParamTable& Params();

  Schema TransformSchema(const Schema& input) const override;
  ModelPtr Fit(const DataFrame& input, const Context& ctx) const override;
  /// One hashing pass per column: the counting pass keeps each row's code in
  /// its block's map, and the output maps codes to label indices.
  FitOutput FitTransform(const DataFrame& input, const Context& ctx) const override;
};

/// Maps each input value to its label's index as float64. Null and unseen
/// values are invalid: 'error' throws naming the column, row and value;
/// 'skip' drops the row; 'keep' gives index numLabels. Each output field
/// carries its labels in metadata "ml_attr.labels" (a JSON list; with 'keep'
/// followed by "__unknown", as Spark). Immutable and thread-safe.
class StringIndexerModel final : public Model {
 public:
  /// REQUIRES: one label list per input column.
  StringIndexerModel(ParamMap params, std::string uid, Schema input_schema,
                     std::vector<std::vector<std::string>> labels);

  static const ParamTable& Params();
  /// Reads a model saved by SaveData.
  static std::shared_ptr<const Stage> Load(const ArtifactReader& reader, const StageRegistry& registry);

  /// The labels of each input column, index order.
  const std::vector<std::vector<std::string>>& labels() const { return labels_; }

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;
  void SaveData(ArtifactWriter& writer) const override;

 private:
  std::vector<std::vector<std::string>> labels_;
  std::vector<FlatStringMap> index_;  // label -> index, per input column
};

/// Params: inputCol (numeric indices), outputCol (default "<uid>__output"),
/// labels (optional; when unset the labels come from the input field's
/// "ml_attr.labels" metadata). Indices are truncated to integers as Spark
/// does; an index outside [0, numLabels) or NaN throws; a null stays null.
class IndexToString final : public Transformer {
 public:
  IndexToString(ParamMap params, std::string uid) : Transformer(std::move(params), std::move(uid)) {}

  static const ParamTable& Params();

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;

 private:
  std::vector<std::string> Labels(const Schema& input) const;
};

}  // namespace ember
