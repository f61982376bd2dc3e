// VectorSlicer (Spark's name, params and order): a vector column holding a
// chosen subset of another vector column's features.
#pragma once

#include <string>
#include <vector>

#include "ml/pipeline/stage.h"

namespace ember {

/// Field metadata key of a vector column's feature names: a JSON list of
/// strings, one per feature (the counterpart of Spark's ML attribute names).
inline constexpr const char* kFeatureNamesMetadataKey = "ml_attr.names";

/// Selects features by `indices` (0-based) and then by `names` (looked up
/// in the input field's kFeatureNamesMetadataKey metadata), in that order,
/// as Spark. At least one of them must be non-empty; duplicates, negative or
/// fractional indices, indices past the vector and unknown names are
/// errors. Dense input gives dense output, sparse gives sparse; the output
/// field carries the selected names when the input had names. A null row
/// stays null. Transform is const and thread-safe.
class VectorSlicer final : public Transformer {
 public:
  /// inputCol (vector), outputCol, indices ([]), names ([]).
  static const ParamTable& Params();
  VectorSlicer(ParamMap params, std::string uid) : Transformer(std::move(params), std::move(uid)) {}

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;

 private:
  /// The selected input positions, in output order, checked against `field`.
  std::vector<int32_t> Selection(const Field& field) const;
};

}  // namespace ember
