#include "ml/feature/stage_checks.h"

#include <fmt/format.h>

namespace ember {

const Field& RequireVectorInput(const Stage& stage, const Schema& schema, std::string_view param,
                                 const std::string& column) {
  const Field& f = RequireColumn(stage, schema, param, column);
  if (!f.type.is_vector()) {
    throw SchemaError(fmt::format("{}: {} column '{}' must be a vector column, got {}", stage.class_name(), param,
                                  column, f.type.ToString()));
  }
  return f;
}

void RequireDimension(const Stage& stage, const Field& field, int64_t expected) {
  if (field.type.dim != 0 && field.type.dim != expected) {
    throw SchemaError(fmt::format("{}: column '{}' has {} values per row, but the model was fitted on {}",
                                  stage.class_name(), field.name, field.type.dim, expected));
  }
}

}  // namespace ember
