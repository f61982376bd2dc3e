// Column access shared by the evaluators: finding the column a param names,
// checking its type, and reading its rows with the checks every metric needs
// (no nulls, no NaN, finite non-negative weights). Every error names the
// evaluator, the param, the column and, for a bad value, the first bad row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/context.h"
#include "core/error.h"
#include "frame/dataframe.h"
#include "ml/param/param.h"

namespace ember {

/// Calls f(get) once, where get(i) is row i of the numeric column `c` as a
/// double (nulls are not masked: check validity separately). The type switch
/// happens once, not per row. REQUIRES: c is numeric.
template <class F>
void VisitNumeric(const Column& c, F&& f) {
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const T* v = c.values<T>().data();
    f([v](size_t i) { return static_cast<double>(v[i]); });
  };
  switch (c.type().id) {
    case TypeId::kBool:
      run(uint8_t{});
      break;
    case TypeId::kInt32:
      run(int32_t{});
      break;
    case TypeId::kInt64:
      run(int64_t{});
      break;
    case TypeId::kFloat32:
      run(float{});
      break;
    case TypeId::kFloat64:
      run(double{});
      break;
    default:
      EMBER_CHECK(false, "VisitNumeric on a {} column", c.type().ToString());
  }
}

/// The column named by the string param `param` of `params`. Throws
/// SchemaError "BinaryClassificationEvaluator: labelCol: no column 'x'; did
/// you mean 'y'? ..." when absent.
const Column& FindColumn(const ParamMap& params, const DataFrame& data, std::string_view param);

/// As FindColumn, also requiring a numeric type (bool, int or float);
/// SchemaError naming the type found otherwise.
const Column& FindNumericColumn(const ParamMap& params, const DataFrame& data, std::string_view param);

/// Throws InvalidArgument naming the evaluator, param, column and row when
/// any row of `column` is null. Cheap when the column has no validity mask.
void RejectNulls(const ParamMap& params, std::string_view param, const Column& column, const Context& ctx);

/// Whether a column may hold +-infinity (scores may; labels may not).
enum class Infinities { kReject, kAllow };

/// Row values of the numeric column of `param` as doubles. Throws
/// InvalidArgument on the first null or NaN row (and on the first infinite
/// one under Infinities::kReject).
std::vector<double> ReadValues(const ParamMap& params, const DataFrame& data, std::string_view param,
                               const Context& ctx, Infinities infinities);

/// True when the optional string param `weightCol` names a column.
bool HasWeightColumn(const ParamMap& params);

/// The row weights of weightCol, or an empty vector (every weight 1) when it
/// is unset or empty. Throws SchemaError for a missing or non-numeric column
/// and InvalidArgument for a null, NaN, infinite or negative weight, or
/// when all weights are zero.
std::vector<double> ReadWeights(const ParamMap& params, const DataFrame& data, const Context& ctx);

/// Throws InvalidArgument "<evaluator>: the input has no rows" for an empty frame.
void RequireRows(const ParamMap& params, const DataFrame& data);

}  // namespace ember
