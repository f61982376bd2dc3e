#include "ml/feature/target_encoder.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "core/parallel_for.h"
#include "ml/feature/column_blocks.h"
#include "ml/feature/feature_util.h"
#include "ml/pipeline/artifact.h"

namespace ember {

namespace {

void DeclareTargetEncoderParams(ParamTable& p) {
  p.String("inputCol", std::nullopt, "column of category indices");
  p.StringList("inputCols", std::nullopt, "columns of category indices (instead of inputCol)");
  p.String("outputCol", std::nullopt, "output column (default '<inputCol>_indexed')");
  p.StringList("outputCols", std::nullopt, "output columns, one per inputCols entry (default '<input>_indexed')");
  p.String("labelCol", "label", "label column (numeric)");
  p.String("handleInvalid", "error", "unseen categories at transform: 'error' fails, 'keep' uses the overall "
           "statistic", {"error", "keep"});
  p.String("targetType", "binary", "'binary' (labels 0/1, bin counting) or 'continuous' (mean encoding)",
           {"binary", "continuous"});
  p.Double("smoothing", 0.0, "weight of the overall statistic against each category's own", 0.0);
}

struct EncodedPair {
  std::string input;
  std::string output;
};

// Spark's TargetEncoderBase.inputFeatures / outputFeatures.
std::vector<EncodedPair> Columns(const Stage& stage) {
  const ParamMap& p = stage.params();
  if (p.HasValue("inputCol") && p.HasValue("inputCols")) {
    throw InvalidArgument("TargetEncoder: set only one of inputCol and inputCols");
  }
  std::vector<std::string> in;
  if (p.HasValue("inputCol")) in = {p.GetString("inputCol")};
  if (p.HasValue("inputCols")) in = p.GetStringList("inputCols");
  if (in.empty()) throw InvalidArgument("TargetEncoder: set inputCol or inputCols (at least one input column)");
  std::vector<std::string> out;
  if (p.HasValue("outputCol")) out = {p.GetString("outputCol")};
  if (p.HasValue("outputCols")) out = p.GetStringList("outputCols");
  if (!p.HasValue("outputCol") && !p.HasValue("outputCols")) {
    for (const std::string& c : in) out.push_back(c + "_indexed");
  }
  if (out.size() != in.size()) {
    throw InvalidArgument(fmt::format("TargetEncoder: {} input columns but {} output columns; they must pair up",
                                      in.size(), out.size()));
  }
  std::vector<EncodedPair> pairs;
  for (size_t i = 0; i < in.size(); ++i) pairs.push_back({in[i], out[i]});
  return pairs;
}

Schema EncoderSchema(const Stage& stage, const Schema& input, bool fitting) {
  Schema out = input;
  for (const EncodedPair& c : Columns(stage)) {
    RequireNumericColumn(stage, input, "inputCols", c.input);
    RequireAbsent(stage, out, "outputCols", c.output);
    out = AppendField(out, {c.output, DataType::Float64(), {}});
  }
  if (fitting) RequireNumericColumn(stage, input, "labelCol", stage.params().GetString("labelCol"));
  return out;
}

struct Stat {
  double count = 0;
  double sum = 0;
  void Add(const Stat& o) {
    count += o.count;
    sum += o.sum;
  }
};

struct ColumnStats {
  std::unordered_map<double, Stat> categories;
  Stat null_category;
  Stat all;
};

}  // namespace

const ParamTable& TargetEncoder::Params() {
  static const ParamTable table = [] {
    ParamTable p("TargetEncoder");
    DeclareTargetEncoderParams(p);
    return p;
  }();
  return table;
}

const ParamTable& TargetEncoderModel::Params() {
  static const ParamTable table = [] {
    ParamTable p("TargetEncoderModel");
    DeclareTargetEncoderParams(p);
    return p;
  }();
  return table;
}

Schema TargetEncoder::TransformSchema(const Schema& input) const { return EncoderSchema(*this, input, true); }

ModelPtr TargetEncoder::Fit(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const std::vector<EncodedPair> pairs = Columns(*this);
  const std::string& label_name = params().GetString("labelCol");
  const Column& label = *input.column(label_name);
  const bool binary = params().GetString("targetType") == "binary";
  const double smoothing = params().GetDouble("smoothing");
  std::vector<const Column*> columns;
  for (const EncodedPair& c : pairs) columns.push_back(input.column(c.input).get());

  // Fixed blocks merged in block order: the sums do not depend on the thread count.
  const size_t rows = input.num_rows();
  std::vector<std::vector<ColumnStats>> partials(NumBlocks(rows, kFeatureBlockRows));
  ParallelFor(ctx, rows, kFeatureBlockRows, [&](const BlockRange& r) {
    std::vector<ColumnStats>& stats = partials[r.index];
    stats.resize(columns.size());
    for (size_t row = r.begin; row < r.end; ++row) {
      const double y = label.NumericAt(row);
      if (std::isnan(y) || (binary && y != 0.0 && y != 1.0)) {
        throw InvalidArgument(fmt::format("TargetEncoder: labelCol '{}' must be {}, got {} at row {}", label_name,
                                          binary ? "0 or 1 (targetType 'binary')" : "a number", y, row));
      }
      for (size_t f = 0; f < columns.size(); ++f) {
        ColumnStats& s = stats[f];
        s.all.Add({1, y});
        if (columns[f]->IsNull(row)) {
          s.null_category.Add({1, y});
          continue;
        }
        const double v = columns[f]->NumericAt(row);
        if (!(v >= 0.0) || v != std::floor(v)) {
          throw InvalidArgument(fmt::format("TargetEncoder: values of column '{}' must be category indices (whole "
                                            "numbers >= 0), got {} at row {}", pairs[f].input, v, row));
        }
        s.categories[v].Add({1, y});
      }
    }
  });
  std::vector<ColumnStats> total(columns.size());
  for (const auto& block : partials) {
    for (size_t f = 0; f < block.size(); ++f) {
      for (const auto& [cat, s] : block[f].categories) total[f].categories[cat].Add(s);
      total[f].null_category.Add(block[f].null_category);
      total[f].all.Add(block[f].all);
    }
  }
  std::vector<TargetEncoding> encodings(columns.size());
  for (size_t f = 0; f < columns.size(); ++f) {
    const ColumnStats& s = total[f];
    const double global = s.all.count > 0 ? s.all.sum / s.all.count : std::nan("");
    auto encode = [&](const Stat& c) {
      const double weight = c.count / (c.count + smoothing);
      return weight * (c.sum / c.count) + (1 - weight) * global;
    };
    TargetEncoding& e = encodings[f];
    for (const auto& [cat, st] : s.categories) e.categories.push_back(cat);
    std::sort(e.categories.begin(), e.categories.end());
    for (double cat : e.categories) e.encodings.push_back(encode(s.categories.at(cat)));
    e.has_null = s.null_category.count > 0;
    e.null_encoding = e.has_null ? encode(s.null_category) : 0.0;
    e.unseen_encoding = global;
  }
  ParamMap model_params(TargetEncoderModel::Params());
  model_params.SetFromJson(params().ExplicitToJson());
  return std::make_shared<TargetEncoderModel>(std::move(model_params), uid(), input.schema(), std::move(encodings));
}

TargetEncoderModel::TargetEncoderModel(ParamMap params, std::string uid, Schema input_schema,
                                       std::vector<TargetEncoding> encodings)
    : Model(std::move(params), std::move(uid), std::move(input_schema)), encodings_(std::move(encodings)) {}

std::shared_ptr<const Stage> TargetEncoderModel::Load(const ArtifactReader& reader, const StageRegistry&) {
  ParamMap params = reader.Params(Params());
  const auto has_null = reader.GetInt32s("hasNull");
  const auto null_encoding = reader.GetDoubles("nullEncoding");
  const auto unseen = reader.GetDoubles("unseenEncoding");
  if (has_null.size() != unseen.size() || null_encoding.size() != unseen.size()) {
    throw CorruptData(fmt::format("'{}': hasNull, nullEncoding and unseenEncoding must have one value per column",
                                  reader.dir()));
  }
  std::vector<TargetEncoding> encodings(unseen.size());
  for (size_t f = 0; f < encodings.size(); ++f) {
    TargetEncoding& e = encodings[f];
    e.categories = reader.GetDoubles(fmt::format("categories_{}", f));
    e.encodings = reader.GetDoubles(fmt::format("encodings_{}", f));
    if (e.categories.size() != e.encodings.size() ||
        std::adjacent_find(e.categories.begin(), e.categories.end(), std::greater_equal<>()) != e.categories.end()) {
      throw CorruptData(fmt::format("'{}': categories_{} must be sorted, distinct and match encodings_{}",
                                    reader.dir(), f, f));
    }
    e.has_null = has_null[f] != 0;
    e.null_encoding = null_encoding[f];
    e.unseen_encoding = unseen[f];
  }
  auto model = std::make_shared<TargetEncoderModel>(std::move(params), reader.uid(), reader.InputSchema(),
                                                    std::move(encodings));
  if (Columns(*model).size() != model->encodings_.size()) {
    throw CorruptData(fmt::format("'{}': {} encoded columns saved for {} input columns", reader.dir(),
                                  model->encodings_.size(), Columns(*model).size()));
  }
  return model;
}

void TargetEncoderModel::SaveData(ArtifactWriter& writer) const {
  std::vector<int32_t> has_null;
  std::vector<double> null_encoding, unseen;
  for (size_t f = 0; f < encodings_.size(); ++f) {
    const TargetEncoding& e = encodings_[f];
    writer.PutDoubles(fmt::format("categories_{}", f), e.categories);
    writer.PutDoubles(fmt::format("encodings_{}", f), e.encodings);
    has_null.push_back(e.has_null ? 1 : 0);
    null_encoding.push_back(e.null_encoding);
    unseen.push_back(e.unseen_encoding);
  }
  writer.PutInt32s("hasNull", has_null);
  writer.PutDoubles("nullEncoding", null_encoding);
  writer.PutDoubles("unseenEncoding", unseen);
}

Schema TargetEncoderModel::TransformSchema(const Schema& input) const { return EncoderSchema(*this, input, false); }

DataFrame TargetEncoderModel::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const std::vector<EncodedPair> pairs = Columns(*this);
  const bool keep = params().GetString("handleInvalid") == "keep";
  DataFrame out = input;
  for (size_t f = 0; f < pairs.size(); ++f) {
    const Column& in = *input.column(pairs[f].input);
    const TargetEncoding& e = encodings_[f];
    std::vector<double> values(input.num_rows());
    ParallelFor(ctx, input.num_rows(), kFeatureBlockRows, [&](const BlockRange& r) {
      for (size_t row = r.begin; row < r.end; ++row) {
        if (in.IsNull(row)) {
          if (e.has_null || keep) {
            values[row] = e.has_null ? e.null_encoding : e.unseen_encoding;
            continue;
          }
          throw InvalidArgument(fmt::format("TargetEncoderModel: unseen null in column '{}' at row {}; set "
                                            "handleInvalid='keep' to encode unseen values", pairs[f].input, row));
        }
        const double v = in.NumericAt(row);
        const auto it = std::lower_bound(e.categories.begin(), e.categories.end(), v);
        if (it != e.categories.end() && *it == v) {
          values[row] = e.encodings[static_cast<size_t>(it - e.categories.begin())];
        } else if (keep) {
          values[row] = e.unseen_encoding;
        } else {
          throw InvalidArgument(fmt::format("TargetEncoderModel: unseen value {} in column '{}' at row {}; set "
                                            "handleInvalid='keep' to encode unseen values", v, pairs[f].input, row));
        }
      }
    });
    out = out.WithColumn(pairs[f].output, MakeColumn(values));
  }
  return out;
}

}  // namespace ember
