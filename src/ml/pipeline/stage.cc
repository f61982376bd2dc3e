#include "ml/pipeline/stage.h"

#include <atomic>
#include <chrono>

#include <fmt/format.h>

#include "core/error.h"
#include "core/random.h"

namespace ember {

std::string MakeUid(std::string_view class_name) {
  static std::atomic<uint64_t> counter{0};
  const auto now = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  const uint64_t bits = Mix64(now ^ Mix64(counter.fetch_add(1)));
  return fmt::format("{}_{:012x}", class_name, bits & 0xFFFFFFFFFFFFULL);
}

const Field& RequireColumn(const Stage& stage, const Schema& schema, std::string_view param,
                           const std::string& column) {
  if (auto i = schema.Find(column)) return schema.field(*i);
  try {
    schema.IndexOf(column);  // builds the "did you mean" message
  } catch (const SchemaError& e) {
    throw SchemaError(fmt::format("{}: {} column: {}", stage.class_name(), param, e.what()));
  }
  throw InternalError("unreachable");
}

const Field& RequireNumericColumn(const Stage& stage, const Schema& schema, std::string_view param,
                                  const std::string& column) {
  const Field& f = RequireColumn(stage, schema, param, column);
  if (!f.type.is_numeric()) {
    throw SchemaError(fmt::format("{}: {} column '{}' must be numeric (bool, int or float), got {}",
                                  stage.class_name(), param, column, f.type.ToString()));
  }
  return f;
}

void RequireAbsent(const Stage& stage, const Schema& schema, std::string_view param, const std::string& column) {
  if (schema.Contains(column)) {
    throw SchemaError(fmt::format("{}: output column '{}' ({}) already exists; choose another name",
                                  stage.class_name(), column, param));
  }
}

Schema AppendField(const Schema& schema, Field field) {
  std::vector<Field> fields = schema.fields();
  fields.push_back(std::move(field));
  return Schema::Make(std::move(fields));
}

}  // namespace ember
