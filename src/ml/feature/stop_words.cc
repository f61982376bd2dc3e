#include "ml/feature/stop_words.h"

#include <fmt/format.h>

#include "ml/feature/column_blocks.h"
#include "ml/feature/stage_support.h"
#include "ml/feature/tokenizers.h"
#include "ml/feature/tokens_column.h"

namespace ember {

const std::vector<std::string>& EnglishStopWords() {
  // The list Spark ships as ml/feature/stopwords/english.txt (from the
  // PostgreSQL snowball lists), in its order.
  static const std::vector<std::string> words = {
      "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself",
      "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they",
      "them", "their", "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "these", "those",
      "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did",
      "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
      "for", "with", "about", "against", "between", "into", "through", "during", "before", "after", "above",
      "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then",
      "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most",
      "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t",
      "can", "will", "just", "don", "should", "now", "d", "ll", "m", "o", "re", "ve", "y", "ain", "aren",
      "couldn", "didn", "doesn", "hadn", "hasn", "haven", "isn", "ma", "mightn", "mustn", "needn", "shan",
      "shouldn", "wasn", "weren", "won", "wouldn"};
  return words;
}

const ParamTable& StopWordsRemover::Params() {
  static const ParamTable table = [] {
    ParamTable p("StopWordsRemover");
    p.String("inputCol", std::nullopt, "token-list column");
    p.String("outputCol", std::nullopt, "output token-list column (default '<uid>__output')");
    p.StringList("inputCols", std::nullopt, "token-list columns (instead of inputCol)");
    p.StringList("outputCols", std::nullopt, "output columns, one per inputCols entry");
    p.StringList("stopWords", EnglishStopWords(), "words to remove (default: Spark's English list)");
    p.Bool("caseSensitive", false, "compare case-sensitively");
    return p;
  }();
  return table;
}

StopWordsRemover::StopWordsRemover(ParamMap params, std::string uid)
    : Transformer(std::move(params), std::move(uid)), case_sensitive_(params_.GetBool("caseSensitive")) {
  for (std::string w : params_.GetStringList("stopWords")) {
    if (!case_sensitive_) AsciiLowercase(w);
    stop_words_.insert(std::move(w));
  }
}

Schema StopWordsRemover::TransformSchema(const Schema& input) const {
  Schema out = input;
  for (const ColumnPair& c : ResolveColumnPairs(*this)) {
    RequireTokensColumn(*this, input, "inputCol", c.input);
    RequireAbsent(*this, out, "outputCol", c.output);
    out = AppendField(out, {c.output, DataType::String(), {}});
  }
  return out;
}

DataFrame StopWordsRemover::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  DataFrame out = input;
  for (const ColumnPair& c : ResolveColumnPairs(*this)) {
    const Column& in = *input.column(c.input);
    ColumnPtr column = BuildStringColumn(ctx, input.num_rows(), [&](const BlockRange& r, StringBlockWriter& w) {
      std::string lower;
      for (size_t row = r.begin; row < r.end; ++row) {
        if (in.IsNull(row)) {
          w.EndRow(false);
          continue;
        }
        ForEachToken(in.StringAt(row), [&](std::string_view t) {
          std::string_view key = t;
          if (!case_sensitive_) {
            lower.assign(t);
            AsciiLowercase(lower);
            key = lower;
          }
          if (!stop_words_.contains(key)) w.AppendToken(t);
        });
        w.EndRow();
      }
    });
    out = out.WithColumn(c.output, std::move(column));
  }
  return out;
}

}  // namespace ember
