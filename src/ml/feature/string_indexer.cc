#include "ml/feature/string_indexer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/parallel_for.h"
#include "ml/feature/stage_support.h"
#include "ml/pipeline/artifact.h"

namespace ember {
namespace {

// Label Spark appends to the metadata labels when handleInvalid is 'keep'.
constexpr const char* kUnknownLabel = "__unknown";

ParamTable IndexerTable(const char* name) {
  ParamTable p(name);
  p.String("inputCol", std::nullopt, "input column (string, bool or numeric)");
  p.String("outputCol", std::nullopt, "output index column (default '<uid>__output')");
  p.StringList("inputCols", std::nullopt, "input columns, instead of inputCol");
  p.StringList("outputCols", std::nullopt, "output columns, one per input column");
  p.String("handleInvalid", "error",
           "null or unseen labels: 'error' throws, 'skip' drops the row, 'keep' gives index numLabels",
           {"error", "skip", "keep"});
  p.String("stringOrderType", "frequencyDesc", "label order: by frequency (ties alphabetical) or alphabetically",
           {"frequencyDesc", "frequencyAsc", "alphabetDesc", "alphabetAsc"});
  return p;
}

template <class T>
std::string_view FloatingKey(T v, char* buf) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  const size_t n = fmt::format_to_n(buf, 40, "{}", v).size;
  // Spark casts 1.0 to "1.0": keep a decimal point on integral values.
  if (std::find_if(buf, buf + n, [](char ch) { return ch == '.' || ch == 'e'; }) == buf + n) {
    buf[n] = '.';
    buf[n + 1] = '0';
    return {buf, n + 2};
  }
  return {buf, n};
}

// Calls f(row, key, valid) for rows [begin, end): the value's text form,
// with one type dispatch per call rather than per row.
template <class F>
void ForEachKey(const Column& c, size_t begin, size_t end, F&& f) {
  const auto valid = c.validity();
  auto ok = [&](size_t i) { return valid.empty() || valid[i] != 0; };
  char buf[48];
  auto integral = [&](auto tag) {
    const auto v = c.values<decltype(tag)>();
    for (size_t i = begin; i < end; ++i) {
      const size_t n = fmt::format_to_n(buf, 40, "{}", v[i]).size;
      f(i, std::string_view(buf, n), ok(i));
    }
  };
  auto floating = [&](auto tag) {
    const auto v = c.values<decltype(tag)>();
    for (size_t i = begin; i < end; ++i) f(i, FloatingKey(v[i], buf), ok(i));
  };
  switch (c.type().id) {
    case TypeId::kString:
      for (size_t i = begin; i < end; ++i) f(i, c.StringAt(i), ok(i));
      break;
    case TypeId::kBool: {
      const auto v = c.values<uint8_t>();
      for (size_t i = begin; i < end; ++i) f(i, std::string_view(v[i] ? "true" : "false"), ok(i));
      break;
    }
    case TypeId::kInt32:
      integral(int32_t{});
      break;
    case TypeId::kInt64:
      integral(int64_t{});
      break;
    case TypeId::kFloat32:
      floating(float{});
      break;
    case TypeId::kFloat64:
      floating(double{});
      break;
    default:
      EMBER_CHECK(false, "ForEachKey on a {} column", c.type().ToString());
  }
}

// The checks shared by the estimator and the model; returns the column pairs.
std::vector<ColumnPair> CheckIndexerInputs(const Stage& stage, const Schema& input) {
  std::vector<ColumnPair> pairs = ResolveColumnPairs(stage);
  const char* in_param = stage.params().HasValue("inputCol") ? "inputCol" : "inputCols";
  const char* out_param = stage.params().HasValue("inputCol") ? "outputCol" : "outputCols";
  for (const ColumnPair& pair : pairs) {
    const Field& f = RequireColumn(stage, input, in_param, pair.input);
    if (f.type.id != TypeId::kString && !f.type.is_numeric()) {
      throw SchemaError(fmt::format("{}: {} column '{}' must be a string or numeric column, got {}", stage.class_name(),
                                    in_param, pair.input, f.type.ToString()));
    }
    RequireAbsent(stage, input, out_param, pair.output);
  }
  return pairs;
}

}  // namespace

const ParamTable& StringIndexer::Params() {
  static const ParamTable table = IndexerTable("StringIndexer");
  return table;
}

const ParamTable& StringIndexerModel::Params() {
  static const ParamTable table = IndexerTable("StringIndexerModel");
  return table;
}

Schema StringIndexer::TransformSchema(const Schema& input) const {
  Schema out = input;
  for (const ColumnPair& pair : CheckIndexerInputs(*this, input)) {
    out = AppendField(out, {pair.output, DataType::Float64(), {}});
  }
  return out;
}

namespace {

// Per-block counts of one column; with `codes`, also each row's entry in its
// block's map (-1 for a null).
std::vector<FlatStringMap> CountBlocks(const Column& c, const Context& ctx, int32_t* codes) {
  std::vector<FlatStringMap> partial(NumBlocks(c.length(), kDefaultBlockRows));
  ParallelFor(ctx, c.length(), kDefaultBlockRows, [&](const BlockRange& r) {
    FlatStringMap& counts = partial[r.index];
    ForEachKey(c, r.begin, r.end, [&](size_t i, std::string_view key, bool ok) {
      if (!ok) {
        if (codes != nullptr) codes[i] = -1;
        return;
      }
      const size_t entry = counts.FindOrInsertEntry(key, FlatStringMap::HashOf(key), 0);
      ++counts.ValueAt(entry);
      if (codes != nullptr) codes[i] = static_cast<int32_t>(entry);
    });
  });
  return partial;
}

// The labels of merged block counts, in the order stringOrderType asks.
std::vector<std::string> SortedLabels(const std::vector<FlatStringMap>& partial, const std::string& order) {
  FlatStringMap total;
  for (const FlatStringMap& part : partial) {
    part.ForEach(
        [&](std::string_view key, int64_t count) { total.FindOrInsert(key, FlatStringMap::HashOf(key), 0) += count; });
  }
  std::vector<std::pair<std::string, int64_t>> entries;
  entries.reserve(total.size());
  total.ForEach([&](std::string_view key, int64_t count) { entries.emplace_back(std::string(key), count); });
  auto by_label = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (order == "frequencyDesc") {
    std::sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : by_label(a, b);
    });
  } else if (order == "frequencyAsc") {
    std::sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
      return a.second != b.second ? a.second < b.second : by_label(a, b);
    });
  } else if (order == "alphabetDesc") {
    std::sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) { return by_label(b, a); });
  } else {
    std::sort(entries.begin(), entries.end(), by_label);
  }
  std::vector<std::string> names;
  names.reserve(entries.size());
  for (auto& e : entries) names.push_back(std::move(e.first));
  return names;
}

}  // namespace

ModelPtr StringIndexer::Fit(const DataFrame& input, const Context& ctx) const {
  const std::vector<ColumnPair> pairs = CheckIndexerInputs(*this, input.schema());
  const std::string& order = params().GetString("stringOrderType");
  std::vector<std::vector<std::string>> labels;
  for (const ColumnPair& pair : pairs) {
    labels.push_back(SortedLabels(CountBlocks(*input.column(pair.input), ctx, nullptr), order));
  }
  return std::make_shared<StringIndexerModel>(ModelParams(StringIndexerModel::Params(), params()), uid(),
                                              input.schema(), std::move(labels));
}

FitOutput StringIndexer::FitTransform(const DataFrame& input, const Context& ctx) const {
  const std::vector<ColumnPair> pairs = CheckIndexerInputs(*this, input.schema());
  const std::string& order = params().GetString("stringOrderType");
  const HandleInvalid policy = ParseHandleInvalid(params().GetString("handleInvalid"));
  const size_t n = input.num_rows();
  std::vector<uint8_t> keep(policy == HandleInvalid::kSkip ? n : 0, 1);
  std::vector<std::vector<std::string>> labels;
  std::vector<ColumnPtr> outputs;
  std::vector<int32_t> codes(n);
  for (const ColumnPair& pair : pairs) {
    const Column& c = *input.column(pair.input);
    const std::vector<FlatStringMap> partial = CountBlocks(c, ctx, codes.data());
    labels.push_back(SortedLabels(partial, order));
    const std::vector<std::string>& names = labels.back();
    FlatStringMap index(names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      index.FindOrInsert(names[i], FlatStringMap::HashOf(names[i]), static_cast<int64_t>(i));
    }
    // Every non-null value was counted, so only nulls are invalid here:
    // the same errors, skipped rows and 'keep' index as the model's Transform.
    const auto unknown = static_cast<double>(names.size());
    const std::string& column = pair.input;
    outputs.push_back(BuildDoubleColumn(ctx, n, [&](size_t begin, size_t end, double* o) {
      // BuildDoubleColumn cuts the same kDefaultBlockRows blocks as CountBlocks.
      const FlatStringMap& block = partial[begin / kDefaultBlockRows];
      std::vector<double> to_label;
      to_label.reserve(block.size());
      block.ForEach([&](std::string_view key, int64_t) { to_label.push_back(static_cast<double>(*index.Find(key))); });
      for (size_t i = begin; i < end; ++i) {
        const int32_t code = codes[i];
        if (code >= 0) {
          o[i] = to_label[static_cast<size_t>(code)];
          continue;
        }
        if (policy == HandleInvalid::kError) {
          throw InvalidArgument(
              fmt::format("StringIndexerModel: column '{}' has a null at row {}; set handleInvalid "
                          "to 'skip' to drop such rows or 'keep' to index them as {}",
                          column, i, names.size()));
        }
        if (policy == HandleInvalid::kSkip) keep[i] = 0;
        o[i] = unknown;
      }
    }));
  }
  auto model = std::make_shared<StringIndexerModel>(ModelParams(StringIndexerModel::Params(), params()), uid(),
                                                    input.schema(), std::move(labels));
  const Schema out_schema = model->TransformSchema(input.schema());
  DataFrame frame = input;
  for (size_t k = 0; k < outputs.size(); ++k) {
    frame = frame.WithField(out_schema.field(input.num_columns() + k), std::move(outputs[k]));
  }
  if (policy == HandleInvalid::kSkip) {
    const std::vector<int64_t> rows = KeptRows(keep);
    if (rows.size() != n) frame = frame.Take(rows);
  }
  return {std::move(model), std::move(frame)};
}

StringIndexerModel::StringIndexerModel(ParamMap params, std::string uid, Schema input_schema,
                                       std::vector<std::vector<std::string>> labels)
    : Model(std::move(params), std::move(uid), std::move(input_schema)), labels_(std::move(labels)) {
  for (const auto& list : labels_) {
    FlatStringMap& map = index_.emplace_back(list.size());
    for (size_t i = 0; i < list.size(); ++i)
      map.FindOrInsert(list[i], FlatStringMap::HashOf(list[i]), static_cast<int64_t>(i));
  }
}

Schema StringIndexerModel::TransformSchema(const Schema& input) const {
  const std::vector<ColumnPair> pairs = CheckIndexerInputs(*this, input);
  if (pairs.size() != labels_.size()) {
    throw InvalidArgument(fmt::format("StringIndexerModel: fitted on {} columns but {} input columns are set",
                                      labels_.size(), pairs.size()));
  }
  const bool keep = params().GetString("handleInvalid") == "keep";
  Schema out = input;
  for (size_t k = 0; k < pairs.size(); ++k) {
    std::vector<std::string> names = labels_[k];
    if (keep) names.push_back(kUnknownLabel);
    out = AppendField(out, {pairs[k].output, DataType::Float64(), {{kLabelsMetadataKey, LabelsToMetadata(names)}}});
  }
  return out;
}

DataFrame StringIndexerModel::Transform(const DataFrame& input, const Context& ctx) const {
  const Schema out_schema = TransformSchema(input.schema());
  const std::vector<ColumnPair> pairs = ResolveColumnPairs(*this);
  const HandleInvalid policy = ParseHandleInvalid(params().GetString("handleInvalid"));
  const size_t n = input.num_rows();
  std::vector<uint8_t> keep(policy == HandleInvalid::kSkip ? n : 0, 1);
  DataFrame frame = input;
  for (size_t k = 0; k < pairs.size(); ++k) {
    const Column& c = *input.column(pairs[k].input);
    const FlatStringMap& map = index_[k];
    const auto unknown = static_cast<double>(labels_[k].size());
    ColumnPtr out = BuildDoubleColumn(ctx, n, [&](size_t begin, size_t end, double* o) {
      ForEachKey(c, begin, end, [&](size_t i, std::string_view key, bool ok) {
        if (ok) {
          if (const int64_t* index = map.Find(key)) {
            o[i] = static_cast<double>(*index);
            return;
          }
        }
        if (policy == HandleInvalid::kError) {
          const std::string what = ok ? fmt::format("unseen label '{}'", key) : std::string("a null");
          throw InvalidArgument(
              fmt::format("StringIndexerModel: column '{}' has {} at row {}; set handleInvalid "
                          "to 'skip' to drop such rows or 'keep' to index them as {}",
                          pairs[k].input, what, i, labels_[k].size()));
        }
        if (policy == HandleInvalid::kSkip) keep[i] = 0;
        o[i] = unknown;
      });
    });
    frame = frame.WithField(out_schema.field(input.num_columns() + k), std::move(out));
  }
  if (policy == HandleInvalid::kSkip) {
    const std::vector<int64_t> rows = KeptRows(keep);
    if (rows.size() != n) frame = frame.Take(rows);
  }
  return frame;
}

void StringIndexerModel::SaveData(ArtifactWriter& writer) const {
  writer.extra()["numColumns"] = labels_.size();
  for (size_t k = 0; k < labels_.size(); ++k) writer.PutStrings(fmt::format("labels_{}", k), labels_[k]);
}

std::shared_ptr<const Stage> StringIndexerModel::Load(const ArtifactReader& reader, const StageRegistry&) {
  const auto columns = reader.ExtraValue<size_t>("numColumns");
  std::vector<std::vector<std::string>> labels;
  for (size_t k = 0; k < columns; ++k) labels.push_back(reader.GetStrings(fmt::format("labels_{}", k)));
  return std::make_shared<StringIndexerModel>(reader.Params(Params()), reader.uid(), reader.InputSchema(),
                                              std::move(labels));
}

const ParamTable& IndexToString::Params() {
  static const ParamTable table = [] {
    ParamTable p("IndexToString");
    p.String("inputCol", std::nullopt, "input column of label indices");
    p.String("outputCol", std::nullopt, "output string column (default '<uid>__output')");
    p.StringList("labels", std::nullopt, "labels by index (default: the input column's ml_attr.labels metadata)");
    return p;
  }();
  return table;
}

std::vector<std::string> IndexToString::Labels(const Schema& input) const {
  if (params().HasValue("labels")) return params().GetStringList("labels");
  const std::string& in = params().GetString("inputCol");
  if (auto labels = LabelsFromField(input.field(input.IndexOf(in)))) return *labels;
  throw SchemaError(
      fmt::format("IndexToString: inputCol column '{}' has no '{}' metadata (it was not produced by a "
                  "StringIndexer); set the labels param",
                  in, kLabelsMetadataKey));
}

Schema IndexToString::TransformSchema(const Schema& input) const {
  const std::string& in = params().GetString("inputCol");
  RequireNumericColumn(*this, input, "inputCol", in);
  Labels(input);
  const std::string out = OutputColOrDefault(*this);
  RequireAbsent(*this, input, "outputCol", out);
  return AppendField(input, {out, DataType::String(), {}});
}

DataFrame IndexToString::Transform(const DataFrame& input, const Context& ctx) const {
  const Field out_field = TransformSchema(input.schema()).fields().back();
  const std::vector<std::string> labels = Labels(input.schema());
  const std::string& in = params().GetString("inputCol");
  const Column& c = *input.column(in);
  const size_t n = input.num_rows();
  std::vector<int32_t> index(n);
  ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
    ForEachNumericInRange(c, r.begin, r.end, [&](size_t i, double v, bool ok) {
      const double t = std::trunc(v);
      if (!ok) {
        index[i] = -1;
      } else if (t >= 0 && t < static_cast<double>(labels.size())) {
        index[i] = static_cast<int32_t>(t);
      } else {
        throw InvalidArgument(fmt::format("IndexToString: column '{}' has index {} at row {}, outside the {} labels",
                                          in, v, i, labels.size()));
      }
    });
  });
  auto offsets = Buffer::Allocate((n + 1) * sizeof(int64_t));
  int64_t* off = offsets->mutable_as<int64_t>();
  off[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    off[i + 1] = off[i] + (index[i] < 0 ? 0 : static_cast<int64_t>(labels[static_cast<size_t>(index[i])].size()));
  }
  auto bytes = Buffer::Allocate(static_cast<size_t>(off[n]));
  char* data = bytes->mutable_as<char>();
  ParallelFor(ctx, n, kDefaultBlockRows, [&](const BlockRange& r) {
    for (size_t i = r.begin; i < r.end; ++i) {
      if (index[i] >= 0) {
        const std::string& s = labels[static_cast<size_t>(index[i])];
        std::memcpy(data + off[i], s.data(), s.size());
      }
    }
  });
  ColumnBuffers buffers{.values = std::move(bytes), .offsets = std::move(offsets)};
  ColumnPtr out = Column::Make(DataType::String(), n, std::move(buffers));
  return input.WithField({out_field.name, out_field.type, {}}, WithValidityOf(out, c));
}

}  // namespace ember
