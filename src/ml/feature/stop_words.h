// StopWordsRemover (Spark's name, params and default English list): drops
// stop words from token-list columns.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ml/pipeline/stage.h"

namespace ember {

/// Spark's default English stop words (StopWordsRemover.loadDefaultStopWords("english")).
const std::vector<std::string>& EnglishStopWords();

/// Removes every token found in stopWords; with caseSensitive=false (the
/// default) tokens and stop words are compared after ASCII lowercasing
/// (Spark lowercases with a `locale` param, which ember does not have).
/// Takes inputCol/outputCol or inputCols/outputCols as Spark 3+. A null
/// row stays null. Transform is const and thread-safe.
class StopWordsRemover final : public Transformer {
 public:
  /// inputCol, outputCol, inputCols, outputCols, stopWords (English),
  /// caseSensitive (false).
  static const ParamTable& Params();
  StopWordsRemover(ParamMap params, std::string uid);

  Schema TransformSchema(const Schema& input) const override;
  DataFrame Transform(const DataFrame& input, const Context& ctx) const override;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> stop_words_;
  bool case_sensitive_;
};

}  // namespace ember
