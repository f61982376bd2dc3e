#include "ml/feature/count_vectorizer.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/parallel_for.h"
#include "ml/feature/column_blocks.h"
#include "ml/feature/tokens_column.h"
#include "ml/pipeline/artifact.h"

namespace ember {

namespace {

void DeclareCountVectorizerParams(ParamTable& p) {
  p.String("inputCol", std::nullopt, "token-list column ('\\x1f'-joined strings)");
  p.String("outputCol", std::nullopt, "output sparse term-count vector column");
  p.Int("vocabSize", 262144, "maximum vocabulary size (most frequent terms first)", 1, 2147483647.0);
  p.Double("minDF", 1.0, "minimum documents a term must appear in (>= 1: count, < 1: fraction)", 0.0);
  p.Double("maxDF", 9223372036854775807.0, "maximum documents a term may appear in (>= 1: count, < 1: fraction)",
           0.0);
  p.Double("minTF", 1.0, "per document, drop terms counted less than this (>= 1: count, < 1: fraction)", 0.0);
  p.Bool("binary", false, "store 1 for every kept term instead of its count");
}

Schema CountSchema(const Stage& stage, const Schema& input) {
  RequireTokensColumn(stage, input, "inputCol", stage.params().GetString("inputCol"));
  RequireAbsent(stage, input, "outputCol", stage.params().GetString("outputCol"));
  return input;
}

struct TermHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct TermStats {
  int64_t count = 0;
  int64_t docs = 0;
};
using StatsMap = std::unordered_map<std::string, TermStats, TermHash, std::equal_to<>>;

}  // namespace

const ParamTable& CountVectorizer::Params() {
  static const ParamTable table = [] {
    ParamTable p("CountVectorizer");
    DeclareCountVectorizerParams(p);
    return p;
  }();
  return table;
}

const ParamTable& CountVectorizerModel::Params() {
  static const ParamTable table = [] {
    ParamTable p("CountVectorizerModel");
    DeclareCountVectorizerParams(p);
    return p;
  }();
  return table;
}

Schema CountVectorizer::TransformSchema(const Schema& input) const {
  const Schema checked = CountSchema(*this, input);
  // The vocabulary size is unknown until fitted; 0 marks an unknown dimension.
  return AppendField(checked, {params().GetString("outputCol"), DataType::SparseVector(0), {}});
}

ModelPtr CountVectorizer::Fit(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const double min_df_param = params().GetDouble("minDF");
  const double max_df_param = params().GetDouble("maxDF");
  if ((min_df_param >= 1.0) == (max_df_param >= 1.0) && max_df_param < min_df_param) {
    throw InvalidArgument(fmt::format("CountVectorizer: maxDF ({}) must be >= minDF ({})", max_df_param,
                                      min_df_param));
  }
  const Column& in = *input.column(params().GetString("inputCol"));
  const size_t rows = input.num_rows();
  const size_t block = std::max<size_t>(kFeatureBlockRows, (rows + ctx.threads() - 1) / std::max(1, ctx.threads()));
  struct Partial {
    StatsMap stats;
    int64_t docs = 0;
  };
  std::vector<Partial> partials(NumBlocks(rows, block));
  ParallelFor(ctx, rows, block, [&](const BlockRange& r) {
    Partial& p = partials[r.index];
    std::vector<std::string_view> terms;
    for (size_t row = r.begin; row < r.end; ++row) {
      if (in.IsNull(row)) continue;
      ++p.docs;
      terms.clear();
      ForEachToken(in.StringAt(row), [&](std::string_view t) { terms.push_back(t); });
      std::sort(terms.begin(), terms.end());
      for (size_t i = 0; i < terms.size();) {
        size_t j = i;
        while (j < terms.size() && terms[j] == terms[i]) ++j;
        auto it = p.stats.find(terms[i]);
        if (it == p.stats.end()) it = p.stats.emplace(std::string(terms[i]), TermStats{}).first;
        it->second.count += static_cast<int64_t>(j - i);
        it->second.docs += 1;
        i = j;
      }
    }
  });
  // Integer counts: the merge order cannot change the result.
  StatsMap total = partials.empty() ? StatsMap{} : std::move(partials[0].stats);
  int64_t docs = partials.empty() ? 0 : partials[0].docs;
  for (size_t b = 1; b < partials.size(); ++b) {
    docs += partials[b].docs;
    for (auto& [term, s] : partials[b].stats) {
      TermStats& t = total[term];
      t.count += s.count;
      t.docs += s.docs;
    }
  }
  const double min_df = min_df_param >= 1.0 ? min_df_param : min_df_param * static_cast<double>(docs);
  const double max_df = max_df_param >= 1.0 ? max_df_param : max_df_param * static_cast<double>(docs);
  std::vector<std::pair<const std::string*, int64_t>> kept;
  for (const auto& [term, s] : total) {
    const auto df = static_cast<double>(s.docs);
    if (df >= min_df && df <= max_df) kept.emplace_back(&term, s.count);
  }
  const size_t size = std::min<size_t>(kept.size(), static_cast<size_t>(params().GetInt("vocabSize")));
  std::partial_sort(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(size), kept.end(),
                    [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : *a.first < *b.first; });
  if (size == 0) {
    throw InvalidArgument(fmt::format("CountVectorizer: the vocabulary is empty: no term of column '{}' appears in "
                                      "at least minDF={} and at most maxDF={} documents",
                                      params().GetString("inputCol"), min_df_param, max_df_param));
  }
  std::vector<std::string> vocabulary;
  vocabulary.reserve(size);
  for (size_t i = 0; i < size; ++i) vocabulary.push_back(*kept[i].first);
  ParamMap model_params(CountVectorizerModel::Params());
  model_params.SetFromJson(params().ExplicitToJson());
  return std::make_shared<CountVectorizerModel>(std::move(model_params), uid(), input.schema(),
                                                std::move(vocabulary));
}

CountVectorizerModel::CountVectorizerModel(ParamMap params, std::string uid, Schema input_schema,
                                           std::vector<std::string> vocabulary)
    : Model(std::move(params), std::move(uid), std::move(input_schema)), vocabulary_(std::move(vocabulary)) {
  index_.reserve(vocabulary_.size());
  for (size_t i = 0; i < vocabulary_.size(); ++i) {
    const bool inserted = index_.emplace(vocabulary_[i], static_cast<int32_t>(i)).second;
    EMBER_CHECK(inserted, "vocabulary term '{}' appears twice", vocabulary_[i]);
  }
}

std::shared_ptr<const Stage> CountVectorizerModel::Load(const ArtifactReader& reader, const StageRegistry&) {
  std::vector<std::string> vocabulary = reader.GetStrings("vocabulary");
  if (vocabulary.empty()) throw CorruptData(fmt::format("'{}': the vocabulary is empty", reader.dir()));
  std::vector<std::string> sorted = vocabulary;
  std::sort(sorted.begin(), sorted.end());
  if (auto d = std::adjacent_find(sorted.begin(), sorted.end()); d != sorted.end()) {
    throw CorruptData(fmt::format("'{}': vocabulary term '{}' appears twice", reader.dir(), *d));
  }
  return std::make_shared<CountVectorizerModel>(reader.Params(Params()), reader.uid(), reader.InputSchema(),
                                                std::move(vocabulary));
}

void CountVectorizerModel::SaveData(ArtifactWriter& writer) const { writer.PutStrings("vocabulary", vocabulary_); }

Schema CountVectorizerModel::TransformSchema(const Schema& input) const {
  return AppendField(CountSchema(*this, input), {params().GetString("outputCol"),
                                                 DataType::SparseVector(static_cast<int32_t>(vocabulary_.size())),
                                                 {}});
}

DataFrame CountVectorizerModel::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& in = *input.column(params().GetString("inputCol"));
  const double min_tf = params().GetDouble("minTF");
  const bool binary = params().GetBool("binary");
  const auto dim = static_cast<int32_t>(vocabulary_.size());
  ColumnPtr out = BuildSparseColumn(ctx, input.num_rows(), dim, [&](const BlockRange& r, SparseBlockWriter& w) {
    std::vector<int32_t> indices;
    for (size_t row = r.begin; row < r.end; ++row) {
      if (in.IsNull(row)) {
        w.EndRow(false);
        continue;
      }
      indices.clear();
      size_t tokens = 0;
      ForEachToken(in.StringAt(row), [&](std::string_view t) {
        ++tokens;
        if (auto it = index_.find(t); it != index_.end()) indices.push_back(it->second);
      });
      const double threshold = min_tf >= 1.0 ? min_tf : min_tf * static_cast<double>(tokens);
      std::sort(indices.begin(), indices.end());
      for (size_t i = 0; i < indices.size();) {
        size_t j = i;
        while (j < indices.size() && indices[j] == indices[i]) ++j;
        const auto count = static_cast<double>(j - i);
        if (count >= threshold) w.Add(indices[i], binary ? 1.0f : static_cast<float>(count));
        i = j;
      }
      w.EndRow();
    }
  });
  return input.WithColumn(params().GetString("outputCol"), std::move(out));
}

}  // namespace ember
