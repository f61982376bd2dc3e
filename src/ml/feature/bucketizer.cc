#include "ml/feature/bucketizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/parallel_for.h"
#include "ml/feature/stage_support.h"
#include "ml/pipeline/artifact.h"

namespace ember {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void AddColumnParams(ParamTable& p, const char* out_what) {
  p.String("inputCol", std::nullopt, "input numeric column");
  p.String("outputCol", std::nullopt, fmt::format("output {} column (default '<uid>__output')", out_what));
  p.StringList("inputCols", std::nullopt, "input numeric columns, instead of inputCol");
  p.StringList("outputCols", std::nullopt, "output columns, one per input column");
  p.String("handleInvalid", "error",
           "NaN or null values: 'error' throws, 'skip' drops the row, 'keep' gives index "
           "numBuckets",
           {"error", "skip", "keep"});
}

void CheckSplits(const Stage& stage, const char* param, const std::vector<double>& s) {
  if (s.size() < 3) {
    throw InvalidArgument(
        fmt::format("{}: {} must hold at least 3 values (2 buckets), got {}", stage.class_name(), param, s.size()));
  }
  for (size_t i = 0; i < s.size(); ++i) {
    if (std::isnan(s[i]) || (i > 0 && !(s[i - 1] < s[i]))) {
      throw InvalidArgument(fmt::format("{}: {} must be strictly increasing numbers, got [{}]", stage.class_name(),
                                        param, fmt::join(s, ", ")));
    }
  }
}

std::vector<double> ParseSplits(const Stage& stage, const std::string& text) {
  std::vector<double> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item(text.substr(start, end - start));
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    char* stop = nullptr;
    const double v = std::strtod(item.c_str(), &stop);
    if (item.empty() || stop != item.c_str() + item.size()) {
      throw InvalidArgument(
          fmt::format("{}: splitsArray entry '{}' is not a comma-separated list of numbers "
                      "(e.g. '-inf, 0, 10, inf')",
                      stage.class_name(), text));
    }
    out.push_back(v);
    start = end + 1;
  }
  return out;
}

std::string FormatSplits(const std::vector<double>& s) { return fmt::format("{}", fmt::join(s, ",")); }

std::vector<ColumnPair> CheckNumericPairs(const Stage& stage, const Schema& input) {
  std::vector<ColumnPair> pairs = ResolveColumnPairs(stage);
  const bool single = stage.params().HasValue("inputCol");
  for (const ColumnPair& pair : pairs) {
    RequireNumericColumn(stage, input, single ? "inputCol" : "inputCols", pair.input);
    RequireAbsent(stage, input, single ? "outputCol" : "outputCols", pair.output);
  }
  return pairs;
}

}  // namespace

const ParamTable& Bucketizer::Params() {
  static const ParamTable table = [] {
    ParamTable p("Bucketizer");
    AddColumnParams(p, "bucket index");
    p.DoubleList("splits", std::nullopt, "bucket boundaries for inputCol: at least 3, strictly increasing");
    p.StringList("splitsArray", std::nullopt,
                 "bucket boundaries per inputCols column, each a comma-separated list ('-inf, 0, inf')");
    return p;
  }();
  return table;
}

std::vector<std::vector<double>> Bucketizer::Splits() const {
  const bool single = params().HasValue("inputCol");
  if (single) {
    if (params().HasValue("splitsArray")) {
      throw InvalidArgument("Bucketizer: with inputCol set splits, not splitsArray");
    }
    if (!params().HasValue("splits")) throw InvalidArgument("Bucketizer: param 'splits' must be set with inputCol");
    CheckSplits(*this, "splits", params().GetDoubleList("splits"));
    return {params().GetDoubleList("splits")};
  }
  if (params().HasValue("splits")) throw InvalidArgument("Bucketizer: with inputCols set splitsArray, not splits");
  if (!params().HasValue("splitsArray")) {
    throw InvalidArgument("Bucketizer: param 'splitsArray' must be set with inputCols");
  }
  std::vector<std::vector<double>> out;
  for (const std::string& text : params().GetStringList("splitsArray")) {
    out.push_back(ParseSplits(*this, text));
    CheckSplits(*this, "splitsArray", out.back());
  }
  return out;
}

Schema Bucketizer::TransformSchema(const Schema& input) const {
  const std::vector<ColumnPair> pairs = CheckNumericPairs(*this, input);
  const auto splits = Splits();
  if (splits.size() != pairs.size()) {
    throw InvalidArgument(
        fmt::format("Bucketizer: splitsArray has {} entries for {} inputCols", splits.size(), pairs.size()));
  }
  Schema out = input;
  for (const ColumnPair& pair : pairs) out = AppendField(out, {pair.output, DataType::Float64(), {}});
  return out;
}

DataFrame Bucketizer::Transform(const DataFrame& input, const Context& ctx) const {
  const Schema out_schema = TransformSchema(input.schema());
  const std::vector<ColumnPair> pairs = ResolveColumnPairs(*this);
  const std::vector<std::vector<double>> all_splits = Splits();
  const HandleInvalid policy = ParseHandleInvalid(params().GetString("handleInvalid"));
  const size_t n = input.num_rows();
  std::vector<uint8_t> keep(policy == HandleInvalid::kSkip ? n : 0, 1);
  DataFrame frame = input;
  for (size_t k = 0; k < pairs.size(); ++k) {
    const Column& c = *input.column(pairs[k].input);
    const std::vector<double>& s = all_splits[k];
    const auto buckets = static_cast<double>(s.size() - 1);
    ColumnPtr out = BuildDoubleColumn(ctx, n, [&](size_t begin, size_t end, double* o) {
      ForEachNumericInRange(c, begin, end, [&](size_t i, double v, bool ok) {
        if (!ok || std::isnan(v)) {
          if (policy == HandleInvalid::kError) {
            throw InvalidArgument(
                fmt::format("Bucketizer: column '{}' has a {} at row {}; set handleInvalid to "
                            "'skip' to drop such rows or 'keep' to give them bucket {}",
                            pairs[k].input, ok ? "NaN" : "null", i, buckets));
          }
          if (policy == HandleInvalid::kSkip) keep[i] = 0;
          o[i] = buckets;
          return;
        }
        if (v < s.front() || v > s.back()) {
          throw InvalidArgument(
              fmt::format("Bucketizer: column '{}' has {} at row {}, outside the splits [{}, {}]; "
                          "use -inf and inf as the outer splits to cover every value",
                          pairs[k].input, v, i, s.front(), s.back()));
        }
        const auto upper = std::upper_bound(s.begin(), s.end(), v) - s.begin();
        o[i] = std::min(static_cast<double>(upper - 1), buckets - 1);  // v == last split: last bucket
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

std::shared_ptr<const Stage> Bucketizer::Load(const ArtifactReader& reader, const StageRegistry&) {
  return std::make_shared<Bucketizer>(reader.Params(Params()), reader.uid(), reader.InputSchema());
}

// ---- QuantileDiscretizer ----

const ParamTable& QuantileDiscretizer::Params() {
  static const ParamTable table = [] {
    ParamTable p("QuantileDiscretizer");
    AddColumnParams(p, "bucket index");
    p.Int("numBuckets", 2, "number of buckets (fewer when quantiles repeat)", 2);
    p.DoubleList("numBucketsArray", std::nullopt, "number of buckets per inputCols column", 2);
    p.Double("relativeError", 0.001, "accepted for Spark compatibility; ember's quantiles are exact", 0.0, 1.0);
    return p;
  }();
  return table;
}

Schema QuantileDiscretizer::TransformSchema(const Schema& input) const {
  const std::vector<ColumnPair> pairs = CheckNumericPairs(*this, input);
  if (params().HasValue("numBucketsArray")) {
    const auto& counts = params().GetDoubleList("numBucketsArray");
    if (params().HasValue("inputCol") || counts.size() != pairs.size()) {
      throw InvalidArgument(
          fmt::format("QuantileDiscretizer: numBucketsArray needs inputCols and one entry per "
                      "column ({} entries for {} columns)",
                      counts.size(), pairs.size()));
    }
    for (double b : counts) {
      if (b != std::floor(b) || b > std::numeric_limits<int32_t>::max()) {
        throw InvalidArgument(fmt::format("QuantileDiscretizer: numBucketsArray entries must be integers, got {}", b));
      }
    }
  }
  Schema out = input;
  for (const ColumnPair& pair : pairs) out = AppendField(out, {pair.output, DataType::Float64(), {}});
  return out;
}

ModelPtr QuantileDiscretizer::Fit(const DataFrame& input, const Context& ctx) const {
  const std::vector<ColumnPair> pairs = CheckNumericPairs(*this, input.schema());
  TransformSchema(input.schema());
  std::vector<std::vector<double>> splits(pairs.size());
  ParallelFor(ctx, pairs.size(), 1, [&](const BlockRange& r) {
    for (size_t k = r.begin; k < r.end; ++k) {
      const auto buckets = static_cast<size_t>(params().HasValue("numBucketsArray")
                                                   ? params().GetDoubleList("numBucketsArray")[k]
                                                   : static_cast<double>(params().GetInt("numBuckets")));
      std::vector<double> values;
      ForEachNumeric(*input.column(pairs[k].input), [&](size_t, double v, bool ok) {
        if (ok && !std::isnan(v)) values.push_back(v);
      });
      if (values.empty()) {
        throw InvalidArgument(
            fmt::format("QuantileDiscretizer: column '{}' has no values that are not null or NaN", pairs[k].input));
      }
      std::sort(values.begin(), values.end());
      std::vector<double>& s = splits[k];
      s.push_back(-kInf);
      for (size_t b = 1; b < buckets; ++b) {
        s.push_back(LinearQuantile(values, static_cast<double>(b) / static_cast<double>(buckets)));
      }
      s.push_back(kInf);
      s.erase(std::unique(s.begin(), s.end()), s.end());  // -0.0 == 0.0 too
      for (double& x : s) x = x == 0 ? 0.0 : x;
    }
  });
  ParamMap p(Bucketizer::Params());
  if (params().HasValue("inputCol")) {
    p.Set("inputCol", params().GetString("inputCol"));
    p.Set("outputCol", OutputColOrDefault(*this));
    p.Set("splits", splits[0]);
  } else {
    p.Set("inputCols", params().GetStringList("inputCols"));
    p.Set("outputCols", params().GetStringList("outputCols"));
    std::vector<std::string> texts;
    for (const auto& s : splits) texts.push_back(FormatSplits(s));
    p.Set("splitsArray", texts);
  }
  p.Set("handleInvalid", params().GetString("handleInvalid"));
  return std::make_shared<Bucketizer>(std::move(p), uid(), input.schema());
}

}  // namespace ember
