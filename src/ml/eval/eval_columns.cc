#include "ml/eval/eval_columns.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/parallel_for.h"

namespace ember {

const Column& FindColumn(const ParamMap& params, const DataFrame& data, std::string_view param) {
  const std::string& name = params.GetString(param);
  if (auto i = data.schema().Find(name)) return *data.column(*i);
  try {
    data.schema().IndexOf(name);  // builds the "did you mean" message
  } catch (const SchemaError& e) {
    throw SchemaError(fmt::format("{}: {}: {}", params.table().stage_name(), param, e.what()));
  }
  throw InternalError("unreachable");
}

const Column& FindNumericColumn(const ParamMap& params, const DataFrame& data, std::string_view param) {
  const Column& c = FindColumn(params, data, param);
  if (!c.type().is_numeric()) {
    throw SchemaError(fmt::format("{}: {} column '{}' must be numeric (bool, int or float), got {}",
                                  params.table().stage_name(), param, params.GetString(param), c.type().ToString()));
  }
  return c;
}

void RejectNulls(const ParamMap& params, std::string_view param, const Column& column, const Context& ctx) {
  if (column.null_count() == 0) return;
  const auto valid = column.validity();
  ParallelFor(ctx, column.length(), kDefaultBlockRows, [&](const BlockRange& r) {
    for (size_t i = r.begin; i < r.end; ++i) {
      if (valid[i] == 0) {
        throw InvalidArgument(fmt::format("{}: {} column '{}' is null at row {}; drop or fill nulls first",
                                          params.table().stage_name(), param, params.GetString(param), i));
      }
    }
  });
}

std::vector<double> ReadValues(const ParamMap& params, const DataFrame& data, std::string_view param,
                               const Context& ctx, Infinities infinities) {
  const Column& c = FindNumericColumn(params, data, param);
  RejectNulls(params, param, c, ctx);
  std::vector<double> out(c.length());
  const bool allow_inf = infinities == Infinities::kAllow;
  VisitNumeric(c, [&](auto get) {
    ParallelFor(ctx, c.length(), kDefaultBlockRows, [&](const BlockRange& r) {
      for (size_t i = r.begin; i < r.end; ++i) {
        const double v = get(i);
        if (std::isnan(v) || (!allow_inf && std::isinf(v))) [[unlikely]] {
          throw InvalidArgument(fmt::format("{}: {} column '{}' has {} at row {}; {} values are required",
                                            params.table().stage_name(), param, params.GetString(param), v, i,
                                            allow_inf ? "non-NaN" : "finite"));
        }
        out[i] = v;
      }
    });
  });
  return out;
}

bool HasWeightColumn(const ParamMap& params) {
  return params.HasValue("weightCol") && !params.GetString("weightCol").empty();
}

std::vector<double> ReadWeights(const ParamMap& params, const DataFrame& data, const Context& ctx) {
  if (!HasWeightColumn(params)) return {};
  std::vector<double> w = ReadValues(params, data, "weightCol", ctx, Infinities::kReject);
  // int, not bool: ParallelReduce keeps partials in a std::vector<T>.
  const int any_positive = ParallelReduce(
      ctx, w.size(), kDefaultBlockRows, 0,
      [&](const BlockRange& r) {
        int positive = 0;
        for (size_t i = r.begin; i < r.end; ++i) {
          if (w[i] < 0) [[unlikely]] {
            throw InvalidArgument(
                fmt::format("{}: weightCol column '{}' has the negative weight {} at row {}; "
                            "weights must be >= 0",
                            params.table().stage_name(), params.GetString("weightCol"), w[i], i));
          }
          positive |= w[i] > 0 ? 1 : 0;
        }
        return positive;
      },
      [](int a, int b) { return a | b; });
  if (!any_positive && !w.empty()) {
    throw InvalidArgument(fmt::format("{}: every weight in weightCol column '{}' is zero", params.table().stage_name(),
                                      params.GetString("weightCol")));
  }
  return w;
}

void RequireRows(const ParamMap& params, const DataFrame& data) {
  if (data.num_rows() == 0) {
    throw InvalidArgument(
        fmt::format("{}: the input has no rows; there is nothing to evaluate", params.table().stage_name()));
  }
}

}  // namespace ember
