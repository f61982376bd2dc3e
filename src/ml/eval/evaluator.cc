#include "ml/eval/evaluator.h"

namespace ember {

ParamMap MakeEvaluatorParams(const ParamTable& table, const std::map<std::string, ParamValue>& values) {
  ParamMap params(table);
  for (const auto& [name, value] : values) params.Set(name, value);
  return params;
}

}  // namespace ember
