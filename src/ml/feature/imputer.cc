#include "ml/feature/imputer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/parallel_for.h"
#include "ml/feature/stage_support.h"
#include "ml/pipeline/artifact.h"

namespace ember {
namespace {

ParamTable ImputerTable(const char* name) {
  ParamTable p(name);
  p.String("inputCol", std::nullopt, "input numeric column");
  p.String("outputCol", std::nullopt, "output column (default '<uid>__output')");
  p.StringList("inputCols", std::nullopt, "input numeric columns, instead of inputCol");
  p.StringList("outputCols", std::nullopt, "output columns, one per input column");
  p.String("strategy", "mean", "surrogate: the column's mean, median or mode", {"mean", "median", "mode"});
  p.Double("missingValue", std::numeric_limits<double>::quiet_NaN(),
           "value treated as missing, besides null (NaN is always left out of the statistics)");
  p.Double("relativeError", 0.001, "accepted for Spark compatibility; ember's median is exact", 0.0, 1.0);
  return p;
}

std::vector<ColumnPair> CheckImputerInputs(const Stage& stage, const Schema& input) {
  std::vector<ColumnPair> pairs = ResolveColumnPairs(stage);
  const bool single = stage.params().HasValue("inputCol");
  for (const ColumnPair& pair : pairs) {
    const Field& f = RequireColumn(stage, input, single ? "inputCol" : "inputCols", pair.input);
    if (!f.type.is_numeric() || f.type.id == TypeId::kBool) {
      throw SchemaError(fmt::format("{}: {} column '{}' must be int32, int64, float32 or float64, got {}",
                                    stage.class_name(), single ? "inputCol" : "inputCols", pair.input,
                                    f.type.ToString()));
    }
    RequireAbsent(stage, input, single ? "outputCol" : "outputCols", pair.output);
  }
  return pairs;
}

double Surrogate(std::vector<double>& v, const std::string& strategy) {
  if (strategy == "mean") {
    double sum = 0;
    for (double x : v) sum += x;
    return sum / static_cast<double>(v.size());
  }
  std::sort(v.begin(), v.end());
  if (strategy == "median") {
    const size_t mid = v.size() / 2;
    return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }
  // mode: the longest run of the sorted values; the first (smallest) wins ties.
  double best = v[0];
  size_t best_count = 0;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    while (j < v.size() && v[j] == v[i]) ++j;
    if (j - i > best_count) {
      best_count = j - i;
      best = v[i];
    }
    i = j;
  }
  return best;
}

template <class T>
ColumnPtr Fill(const Context& ctx, const Column& c, double surrogate, double missing) {
  const size_t n = c.length();
  auto buffer = Buffer::Allocate(n * sizeof(T));
  T* out = buffer->mutable_as<T>();
  const T fill = static_cast<T>(surrogate);  // truncates toward zero for integers, as Spark's cast
  const bool nan_missing = std::isnan(missing);
  ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
    const T* in = c.values<T>().data();
    for (size_t i = r.begin; i < r.end; ++i) {
      const auto v = static_cast<double>(in[i]);
      const bool is_missing = !c.IsValid(i) || (nan_missing ? std::isnan(v) : v == missing);
      out[i] = is_missing ? fill : in[i];
    }
  });
  return Column::Make(c.type(), n, {.values = std::move(buffer)});
}

}  // namespace

const ParamTable& Imputer::Params() {
  static const ParamTable table = ImputerTable("Imputer");
  return table;
}

const ParamTable& ImputerModel::Params() {
  static const ParamTable table = ImputerTable("ImputerModel");
  return table;
}

Schema Imputer::TransformSchema(const Schema& input) const {
  Schema out = input;
  for (const ColumnPair& pair : CheckImputerInputs(*this, input)) {
    out = AppendField(out, {pair.output, input.field(input.IndexOf(pair.input)).type, {}});
  }
  return out;
}

ModelPtr Imputer::Fit(const DataFrame& input, const Context& ctx) const {
  const std::vector<ColumnPair> pairs = CheckImputerInputs(*this, input.schema());
  const double missing = params().GetDouble("missingValue");
  const std::string& strategy = params().GetString("strategy");
  std::vector<double> surrogates(pairs.size());
  // One column per task: the work per column is a copy and a sort.
  ParallelFor(ctx, pairs.size(), 1, [&](const BlockRange& r) {
    for (size_t k = r.begin; k < r.end; ++k) {
      std::vector<double> values;
      ForEachNumeric(*input.column(pairs[k].input), [&](size_t, double v, bool ok) {
        if (ok && !std::isnan(v) && v != missing) values.push_back(v);
      });
      if (values.empty()) {
        throw InvalidArgument(
            fmt::format("Imputer: column '{}' has no values that are not null, NaN or "
                        "missingValue ({}); the {} surrogate cannot be computed",
                        pairs[k].input, missing, strategy));
      }
      surrogates[k] = Surrogate(values, strategy);
    }
  });
  return std::make_shared<ImputerModel>(ModelParams(ImputerModel::Params(), params()), uid(), input.schema(),
                                        std::move(surrogates));
}

ImputerModel::ImputerModel(ParamMap params, std::string uid, Schema input_schema, std::vector<double> surrogates)
    : Model(std::move(params), std::move(uid), std::move(input_schema)), surrogates_(std::move(surrogates)) {}

Schema ImputerModel::TransformSchema(const Schema& input) const {
  const std::vector<ColumnPair> pairs = CheckImputerInputs(*this, input);
  if (pairs.size() != surrogates_.size()) {
    throw InvalidArgument(fmt::format("ImputerModel: fitted on {} columns but {} input columns are set",
                                      surrogates_.size(), pairs.size()));
  }
  Schema out = input;
  for (const ColumnPair& pair : pairs) {
    out = AppendField(out, {pair.output, input.field(input.IndexOf(pair.input)).type, {}});
  }
  return out;
}

DataFrame ImputerModel::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const std::vector<ColumnPair> pairs = ResolveColumnPairs(*this);
  const double missing = params().GetDouble("missingValue");
  DataFrame frame = input;
  for (size_t k = 0; k < pairs.size(); ++k) {
    const Column& c = *input.column(pairs[k].input);
    ColumnPtr out;
    switch (c.type().id) {
      case TypeId::kInt32:
        out = Fill<int32_t>(ctx, c, surrogates_[k], missing);
        break;
      case TypeId::kInt64:
        out = Fill<int64_t>(ctx, c, surrogates_[k], missing);
        break;
      case TypeId::kFloat32:
        out = Fill<float>(ctx, c, surrogates_[k], missing);
        break;
      default:
        out = Fill<double>(ctx, c, surrogates_[k], missing);
        break;
    }
    frame = frame.WithColumn(pairs[k].output, std::move(out));
  }
  return frame;
}

void ImputerModel::SaveData(ArtifactWriter& writer) const { writer.PutDoubles("surrogates", surrogates_); }

std::shared_ptr<const Stage> ImputerModel::Load(const ArtifactReader& reader, const StageRegistry&) {
  return std::make_shared<ImputerModel>(reader.Params(Params()), reader.uid(), reader.InputSchema(),
                                        reader.GetDoubles("surrogates"));
}

}  // namespace ember
