#include "ml/feature/count_vectorizer.h"

#include <gtest/gtest.h>

#include "ml/feature/idf.h"
#include "ml/feature/text_test_util.h"
#include "ml/feature/tokens_column.h"

namespace ember {
namespace {

using namespace text_test;
using Entries = std::vector<std::vector<std::pair<int32_t, float>>>;

DataFrame GoldenDocs(const nlohmann::json& golden) {
  return DataFrame::Make({"words"}, {MakeTokensColumn(golden["docs"].get<std::vector<std::vector<std::string>>>())});
}

ModelPtr FitCv(const DataFrame& df, nlohmann::json params, int threads = 1) {
  params["inputCol"] = "words";
  params["outputCol"] = "counts";
  auto stage = Registry().Make("CountVectorizer", params);
  return dynamic_cast<const Estimator&>(*stage).Fit(df, Context::Default(threads));
}

const std::vector<std::string>& Vocab(const ModelPtr& m) {
  return dynamic_cast<const CountVectorizerModel&>(*m).vocabulary();
}

TEST(CountVectorizerTest, VocabularyByCountThenTermMatchesSklearnCounts) {
  const auto golden = Golden("count_vectorizer.json");
  const DataFrame df = GoldenDocs(golden);
  auto model = FitCv(df, {});
  EXPECT_EQ(Vocab(model), golden["vocabulary"].get<std::vector<std::string>>());
  // Summing each term's counts over the documents gives sklearn's totals.
  const auto rows = VectorRows(*model->Transform(df, Context::Default(1)).column("counts"));
  const auto counts = golden["counts"].get<std::vector<double>>();
  for (size_t j = 0; j < counts.size(); ++j) {
    double total = 0;
    for (const auto& r : rows) total += r[j];
    EXPECT_EQ(total, counts[j]) << Vocab(model)[j];
  }
  EXPECT_EQ(FitCv(df, {}, 4)->params().GetString("outputCol"), "counts");
  EXPECT_EQ(Vocab(FitCv(df, {}, 4)), Vocab(model));
}

TEST(CountVectorizerTest, HandComputedTransformAndFilters) {
  // docs: [a b c a] [a c d] [b b e] [a e e f c] [g]
  // totals: a 4, b 3, c 3, e 3, d 1, f 1, g 1; df: a 3, c 3, b 2, e 2, d 1, f 1, g 1
  const DataFrame df = GoldenDocs(Golden("count_vectorizer.json"));
  EXPECT_EQ(Vocab(FitCv(df, {{"vocabSize", 3}})), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Vocab(FitCv(df, {{"minDF", 2.0}})), (std::vector<std::string>{"a", "b", "c", "e"}));
  EXPECT_EQ(Vocab(FitCv(df, {{"minDF", 0.5}})), (std::vector<std::string>{"a", "c"}));  // df >= 2.5
  EXPECT_EQ(Vocab(FitCv(df, {{"maxDF", 1.0}})), (std::vector<std::string>{"d", "f", "g"}));
  auto model = FitCv(df, {{"vocabSize", 3}});
  const auto t = [&](const ModelPtr& m, const DataFrame& in) {
    return SparseEntries(*m->Transform(in, Context::Default(1)).column("counts"));
  };
  EXPECT_EQ(t(model, df), (Entries{{{0, 2}, {1, 1}, {2, 1}}, {{0, 1}, {2, 1}}, {{1, 2}}, {{0, 1}, {2, 1}}, {}}));
  auto min_tf = FitCv(df, {{"vocabSize", 3}, {"minTF", 2.0}});
  EXPECT_EQ(t(min_tf, df), (Entries{{{0, 2}}, {}, {{1, 2}}, {}, {}}));
  // Fractional minTF is a share of all the document's tokens: [a b c a]
  // needs 0.4 * 4 = 1.6 (a only), [a c d] 1.2 (none), [b b e] 1.2 (b), [a e e f c] 2 (none).
  auto frac = FitCv(df, {{"vocabSize", 3}, {"minTF", 0.4}, {"binary", true}});
  EXPECT_EQ(t(frac, df), (Entries{{{0, 1}}, {}, {{1, 1}}, {}, {}}));
}

TEST(CountVectorizerTest, ErrorsAndNulls) {
  const DataFrame df = GoldenDocs(Golden("count_vectorizer.json"));
  EXPECT_NE(ErrorOf<InvalidArgument>([&] { FitCv(df, {{"minDF", 10.0}}); }).find("the vocabulary is empty"),
            std::string::npos);
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { FitCv(df, {{"minDF", 3.0}, {"maxDF", 2.0}}); }),
            "CountVectorizer: maxDF (2) must be >= minDF (3)");
  EXPECT_NE(ErrorOf<SchemaError>([&] { FitCv(DataFrame::Make({"words"}, {MakeColumn<double>({1})}), {}); })
                .find("must be a string column"),
            std::string::npos);
  const DataFrame with_null = DataFrame::Make({"words"}, {MakeNullableStringColumn({"x\x1fy", std::nullopt, "x"})});
  auto model = FitCv(with_null, {});
  EXPECT_EQ(Vocab(model), (std::vector<std::string>{"x", "y"}));
  const auto out = model->Transform(with_null, Context::Default(1));
  EXPECT_TRUE(out.column("counts")->IsNull(1));
  EXPECT_EQ(out.column("counts")->type(), DataType::SparseVector(2));
}

TEST(CountVectorizerTest, SaveLoadAndTwoThreads) {
  const DataFrame df = GoldenDocs(Golden("count_vectorizer.json"));
  auto model = FitCv(df, {{"minTF", 1.0}});
  const auto expected = SparseEntries(*model->Transform(df, Context::Default(1)).column("counts"));
  auto loaded = std::dynamic_pointer_cast<const CountVectorizerModel>(SaveAndLoad(*model));
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->vocabulary(), Vocab(model));
  EXPECT_EQ(SparseEntries(*loaded->Transform(df, Context::Default(1)).column("counts")), expected);
  const auto results =
      OnTwoThreads([&] { return SparseEntries(*model->Transform(df, Context::Default(1)).column("counts")); });
  EXPECT_EQ(results[0], expected);
  EXPECT_EQ(results[1], expected);
}

TEST(IDFTest, MatchesSklearnSmoothIdfMinusOne) {
  const auto golden = Golden("idf.json");
  const DataFrame df = GoldenDocs(golden);
  auto cv = FitCv(df, {});
  const DataFrame counts = cv->Transform(df, Context::Default(1));
  auto idf = Registry().Make("IDF", {{"inputCol", "counts"}, {"outputCol", "tfidf"}});
  auto model = dynamic_cast<const Estimator&>(*idf).Fit(counts, Context::Default(1));
  const auto& m = dynamic_cast<const IDFModel&>(*model);
  const auto terms = golden["terms"].get<std::vector<std::string>>();
  const auto spark_idf = golden["spark_idf"].get<std::vector<double>>();
  const auto sk_idf = golden["sklearn_idf"].get<std::vector<double>>();
  for (size_t k = 0; k < terms.size(); ++k) {
    const size_t j = std::find(Vocab(cv).begin(), Vocab(cv).end(), terms[k]) - Vocab(cv).begin();
    ASSERT_LT(j, m.idf().size());
    EXPECT_NEAR(m.idf()[j], spark_idf[k], 1e-12) << terms[k];
    EXPECT_NEAR(m.idf()[j] + 1.0, sk_idf[k], 1e-12) << terms[k];
  }
  EXPECT_EQ(m.num_docs(), 5);
  // tf-idf of document 0, term a (count 2, df 3): 2 * log(6 / 4).
  const auto rows = VectorRows(*model->Transform(counts, Context::Default(1)).column("tfidf"));
  EXPECT_FLOAT_EQ(rows[0][0], static_cast<float>(2 * std::log(6.0 / 4.0)));
}

TEST(IDFTest, DenseInputMinDocFreqSaveLoadThreads) {
  // Column 0 in 2 of 3 docs, column 1 in 1, column 2 in none (negatives do not count).
  const DataFrame df = DataFrame::Make({"tf"}, {MakeDenseVectorColumn(3, 3, {1, 0, 0, 2, 5, -1, 0, 0, 0})});
  auto idf = Registry().Make("IDF", {{"inputCol", "tf"}, {"outputCol", "w"}, {"minDocFreq", 2}});
  auto model = dynamic_cast<const Estimator&>(*idf).Fit(df, Context::Default(1));
  const auto& m = dynamic_cast<const IDFModel&>(*model);
  EXPECT_EQ(m.doc_freq(), (std::vector<int64_t>{2, 1, 0}));
  ASSERT_EQ(m.idf().size(), 3u);
  EXPECT_DOUBLE_EQ(m.idf()[0], std::log(4.0 / 3.0));
  EXPECT_EQ(m.idf()[1], 0.0);  // df 1 < minDocFreq 2
  EXPECT_EQ(m.idf()[2], 0.0);
  const auto expected = VectorRows(*model->Transform(df, Context::Default(1)).column("w"));
  EXPECT_EQ(model->Transform(df, Context::Default(1)).column("w")->type(), DataType::DenseVector(3));
  EXPECT_FLOAT_EQ(expected[1][0], static_cast<float>(2 * std::log(4.0 / 3.0)));
  auto loaded = std::dynamic_pointer_cast<const Model>(SaveAndLoad(*model));
  EXPECT_EQ(VectorRows(*loaded->Transform(df, Context::Default(1)).column("w")), expected);
  const auto results = OnTwoThreads([&] { return VectorRows(*model->Transform(df, Context::Default(1)).column("w")); });
  EXPECT_EQ(results[0], expected);
  EXPECT_EQ(results[1], expected);
  const DataFrame wrong = DataFrame::Make({"tf"}, {MakeDenseVectorColumn(1, 2, {1, 2})});
  EXPECT_EQ(ErrorOf<SchemaError>([&] { model->Transform(wrong, Context::Default(1)); }),
            "IDFModel: column 'tf' has 2 values per row, but the model was fitted on 3");
}

TEST(IDFTest, PipelineOfTokenizerCountVectorizerIdf) {
  const auto r = Registry();
  std::vector<std::shared_ptr<const Stage>> stages;
  stages.push_back(r.Make("Tokenizer", {{"inputCol", "text"}, {"outputCol", "words"}}));
  stages.push_back(r.Make("CountVectorizer", {{"inputCol", "words"}, {"outputCol", "tf"}}));
  stages.push_back(r.Make("IDF", {{"inputCol", "tf"}, {"outputCol", "tfidf"}}));
  auto pipeline = Pipeline::Make(std::move(stages));
  const DataFrame df = DataFrame::Make({"text"}, {MakeStringColumn({"a b", "a c", "a"})});
  auto model = pipeline->Fit(df, Context::Default(1));
  const auto rows = VectorRows(*model->Transform(df, Context::Default(1)).column("tfidf"));
  // Vocabulary [a, b, c]; idf a = log(4/4) = 0, b = c = log(4/2).
  EXPECT_EQ(rows[0], (std::vector<float>{0, static_cast<float>(std::log(2.0)), 0}));
  auto loaded = std::dynamic_pointer_cast<const PipelineModel>(SaveAndLoad(*model));
  EXPECT_EQ(VectorRows(*loaded->Transform(df, Context::Default(1)).column("tfidf")), rows);
}

}  // namespace
}  // namespace ember
