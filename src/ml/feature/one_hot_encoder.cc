#include "ml/feature/one_hot_encoder.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/parallel_for.h"
#include "ml/feature/stage_support.h"
#include "ml/pipeline/artifact.h"

namespace ember {
namespace {

ParamTable EncoderTable(const char* name) {
  ParamTable p(name);
  p.String("inputCol", std::nullopt, "input column of category indices");
  p.String("outputCol", std::nullopt, "output vector column (default '<uid>__output')");
  p.StringList("inputCols", std::nullopt, "input columns of category indices, instead of inputCol");
  p.StringList("outputCols", std::nullopt, "output vector columns, one per input column");
  p.Bool("dropLast", true, "drop the last category's slot (so it encodes as all zeros)");
  p.String("handleInvalid", "error",
           "null, NaN, negative or unseen indices: 'error' throws, 'keep' encodes them in an extra slot",
           {"error", "keep"});
  return p;
}

std::vector<ColumnPair> CheckEncoderInputs(const Stage& stage, const Schema& input) {
  std::vector<ColumnPair> pairs = ResolveColumnPairs(stage);
  const bool single = stage.params().HasValue("inputCol");
  for (const ColumnPair& pair : pairs) {
    RequireNumericColumn(stage, input, single ? "inputCol" : "inputCols", pair.input);
    RequireAbsent(stage, input, single ? "outputCol" : "outputCols", pair.output);
  }
  return pairs;
}

// max index + 1 over a column whose values must all be non-negative integers.
int64_t CategoriesFromData(const Column& c, const std::string& name, const Context& ctx) {
  const double max = ParallelReduce(
      ctx, c.length(), kDefaultBlockRows, -1.0,
      [&](const BlockRange& r) {
        double m = -1.0;
        ForEachNumericInRange(c, r.begin, r.end, [&](size_t i, double v, bool ok) {
          if (!ok || !(v >= 0) || v != std::floor(v) || v >= std::numeric_limits<int32_t>::max()) {
            throw InvalidArgument(
                fmt::format("OneHotEncoder: values of column '{}' must be category indices "
                            "(non-negative integers below 2^31-1), got {} at row {}",
                            name, ok ? fmt::format("{}", v) : "null", i));
          }
          m = std::max(m, v);
        });
        return m;
      },
      [](double a, double b) { return std::max(a, b); });
  return static_cast<int64_t>(max) + 1;
}

}  // namespace

const ParamTable& OneHotEncoder::Params() {
  static const ParamTable table = EncoderTable("OneHotEncoder");
  return table;
}

const ParamTable& OneHotEncoderModel::Params() {
  static const ParamTable table = EncoderTable("OneHotEncoderModel");
  return table;
}

Schema OneHotEncoder::TransformSchema(const Schema& input) const {
  Schema out = input;
  for (const ColumnPair& pair : CheckEncoderInputs(*this, input)) {
    // The size is known only after fitting unless the labels are in metadata.
    int32_t dim = 0;
    if (auto labels = LabelsFromField(input.field(input.IndexOf(pair.input)))) {
      const auto n = static_cast<int64_t>(labels->size());
      const bool drop = params().GetBool("dropLast");
      const bool keep = params().GetString("handleInvalid") == "keep";
      dim = static_cast<int32_t>(n + (keep ? 1 : 0) - (drop ? 1 : 0));
    }
    out = AppendField(out, {pair.output, DataType::SparseVector(dim), {}});
  }
  return out;
}

ModelPtr OneHotEncoder::Fit(const DataFrame& input, const Context& ctx) const {
  const std::vector<ColumnPair> pairs = CheckEncoderInputs(*this, input.schema());
  std::vector<int64_t> sizes;
  for (const ColumnPair& pair : pairs) {
    const Field& field = input.schema().field(input.schema().IndexOf(pair.input));
    if (auto labels = LabelsFromField(field)) {
      sizes.push_back(static_cast<int64_t>(labels->size()));
    } else {
      sizes.push_back(CategoriesFromData(*input.column(pair.input), pair.input, ctx));
    }
  }
  return std::make_shared<OneHotEncoderModel>(ModelParams(OneHotEncoderModel::Params(), params()), uid(),
                                              input.schema(), std::move(sizes));
}

OneHotEncoderModel::OneHotEncoderModel(ParamMap params, std::string uid, Schema input_schema,
                                       std::vector<int64_t> category_sizes)
    : Model(std::move(params), std::move(uid), std::move(input_schema)), category_sizes_(std::move(category_sizes)) {}

int64_t OneHotEncoderModel::OutputSize(int64_t categories) const {
  const bool keep = params().GetString("handleInvalid") == "keep";
  return categories + (keep ? 1 : 0) - (params().GetBool("dropLast") ? 1 : 0);
}

Schema OneHotEncoderModel::TransformSchema(const Schema& input) const {
  const std::vector<ColumnPair> pairs = CheckEncoderInputs(*this, input);
  if (pairs.size() != category_sizes_.size()) {
    throw InvalidArgument(fmt::format("OneHotEncoderModel: fitted on {} columns but {} input columns are set",
                                      category_sizes_.size(), pairs.size()));
  }
  Schema out = input;
  for (size_t k = 0; k < pairs.size(); ++k) {
    const auto dim = static_cast<int32_t>(OutputSize(category_sizes_[k]));
    out = AppendField(out, {pairs[k].output, DataType::SparseVector(dim), {}});
  }
  return out;
}

DataFrame OneHotEncoderModel::Transform(const DataFrame& input, const Context& ctx) const {
  const Schema out_schema = TransformSchema(input.schema());
  const std::vector<ColumnPair> pairs = ResolveColumnPairs(*this);
  const bool keep = params().GetString("handleInvalid") == "keep";
  DataFrame frame = input;
  for (size_t k = 0; k < pairs.size(); ++k) {
    const Column& c = *input.column(pairs[k].input);
    const int64_t categories = category_sizes_[k];
    const auto size = static_cast<int32_t>(OutputSize(categories));
    // The slot of a value: its index, the invalid slot `categories`, or -1
    // when invalid values are errors.
    auto slot = [&](double v, bool ok) -> int64_t {
      if (ok && v >= 0 && v < static_cast<double>(categories)) return static_cast<int64_t>(v);
      return keep ? categories : -1;
    };
    // One entry per row at most, so the output is sized exactly by one
    // counting pass and written in place.
    auto count = [&](size_t begin, size_t end) {
      size_t n = 0;
      ForEachNumericInRange(c, begin, end, [&](size_t, double v, bool ok) {
        const int64_t index = slot(v, ok);
        n += index >= 0 && index < size;
      });
      return n;
    };
    auto fill = [&](size_t begin, size_t end, SparseRowWriter& w) {
      ForEachNumericInRange(c, begin, end, [&](size_t i, double v, bool ok) {
        const int64_t index = slot(v, ok);
        if (index < 0) {
          throw InvalidArgument(
              fmt::format("OneHotEncoderModel: column '{}' has {} at row {}, not an index "
                          "in [0, {}); set handleInvalid to 'keep' to encode such values",
                          pairs[k].input, ok ? fmt::format("{}", v) : "null", i, categories));
        }
        if (index < size) w.Add(static_cast<int32_t>(index), 1.0f);
        w.EndRow();
      });
    };
    ColumnPtr out = BuildCountedSparseVectorColumn(ctx, input.num_rows(), size, count, fill);
    frame = frame.WithField(out_schema.field(input.num_columns() + k), std::move(out));
  }
  return frame;
}

void OneHotEncoderModel::SaveData(ArtifactWriter& writer) const { writer.PutInt64s("categorySizes", category_sizes_); }

std::shared_ptr<const Stage> OneHotEncoderModel::Load(const ArtifactReader& reader, const StageRegistry&) {
  std::vector<int64_t> sizes = reader.GetInt64s("categorySizes");
  for (int64_t s : sizes) {
    if (s < 0 || s >= std::numeric_limits<int32_t>::max()) {
      throw CorruptData(fmt::format("{}: categorySizes holds {}, not a category count", reader.dir(), s));
    }
  }
  return std::make_shared<OneHotEncoderModel>(reader.Params(Params()), reader.uid(), reader.InputSchema(),
                                              std::move(sizes));
}

}  // namespace ember
