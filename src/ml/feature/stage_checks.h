// Schema checks shared by the derived-feature and text stages, in the style
// of RequireColumn (stage.h): each error names the stage, param and column.
#pragma once

#include <string>
#include <string_view>

#include "ml/pipeline/stage.h"

namespace ember {

/// The field of a dense or sparse vector column. Its dimension may be 0 (not
/// known yet) when the schema comes from an unfitted estimator upstream.
const Field& RequireVectorInput(const Stage& stage, const Schema& schema, std::string_view param,
                                 const std::string& column);

/// Throws SchemaError when a vector column's known dimension differs from
/// what the stage was fitted on.
void RequireDimension(const Stage& stage, const Field& field, int64_t expected);

}  // namespace ember
