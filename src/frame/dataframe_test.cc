#include "frame/dataframe.h"

#include <gtest/gtest.h>

#include "frame/summary.h"

namespace ember {
namespace {

DataFrame Sample() {
  return DataFrame::Make({"id", "x", "name"},
                         {MakeColumn<int64_t>({1, 2, 3, 4}), MakeNullableColumn<double>({0.5, std::nullopt, 2.5, 4.0}),
                          MakeStringColumn({"a", "b", "a", "c"})});
}

TEST(DataFrameTest, MakeRejectsMismatchedLengthsAndDuplicates) {
  EXPECT_THROW(DataFrame::Make({"a", "b"}, {MakeColumn<int32_t>({1, 2}), MakeColumn<int32_t>({1})}), SchemaError);
  EXPECT_THROW(DataFrame::Make({"a", "a"}, {MakeColumn<int32_t>({1}), MakeColumn<int32_t>({1})}), SchemaError);
}

TEST(DataFrameTest, SelectWithColumnDropRenameShareColumns) {
  DataFrame df = Sample();
  DataFrame s = df.Select(std::vector<std::string>{"name", "id"});
  EXPECT_EQ(s.schema().names(), (std::vector<std::string>{"name", "id"}));
  EXPECT_EQ(s.column("id").get(), df.column("id").get());

  DataFrame w = df.WithColumn("flag", MakeBoolColumn({true, false, true, true}));
  EXPECT_EQ(w.num_columns(), 4u);
  EXPECT_EQ(w.column("x").get(), df.column("x").get());
  DataFrame replaced = df.WithColumn("x", MakeColumn<float>({1, 2, 3, 4}));
  EXPECT_EQ(replaced.schema().field(1).type, DataType::Float32());
  EXPECT_THROW(df.WithColumn("bad", MakeColumn<float>({1})), SchemaError);

  DataFrame d = df.Drop(std::vector<std::string>{"x"});
  EXPECT_EQ(d.schema().names(), (std::vector<std::string>{"id", "name"}));
  DataFrame r = df.Rename("x", "feature");
  EXPECT_EQ(r.schema().field(1).name, "feature");
  EXPECT_EQ(r.column("feature").get(), df.column("x").get());
  EXPECT_THROW(df.Rename("x", "id"), SchemaError);
}

TEST(DataFrameTest, UnknownColumnSuggestsClosest) {
  try {
    Sample().column("nmae");
    FAIL();
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()), "no column 'nmae'; did you mean 'name'? (columns: id, x, name)");
  }
}

TEST(DataFrameTest, SliceHeadTakeFilter) {
  DataFrame df = Sample();
  DataFrame s = df.Slice(1, 10);
  EXPECT_EQ(s.num_rows(), 3u);
  EXPECT_EQ(s.column("id")->values<int64_t>()[0], 2);
  EXPECT_EQ(df.Head(2).num_rows(), 2u);
  DataFrame t = df.Take(std::vector<int64_t>{3, 0});
  EXPECT_EQ(t.column("name")->StringAt(0), "c");
  auto mask = MakeNullableColumn<uint8_t>({1, 0, std::nullopt, 1});
  DataFrame f = df.Filter(*mask);
  ASSERT_EQ(f.num_rows(), 2u);
  EXPECT_EQ(f.column("id")->values<int64_t>()[1], 4);
  EXPECT_THROW(df.Filter(*MakeColumn<int32_t>({1, 1, 1, 1})), SchemaError);
}

TEST(DataFrameTest, ConcatStacksRows) {
  DataFrame df = Sample();
  DataFrame both = DataFrame::Concat(std::vector<DataFrame>{df.Slice(2, 2), df.Slice(0, 1)});
  EXPECT_EQ(both.num_rows(), 3u);
  EXPECT_EQ(both.column("name")->StringAt(2), "a");
  EXPECT_EQ(both.column("x")->values<double>()[1], 4.0);
}

TEST(DataFrameTest, RandomSplitIsReproducibleAndPartitions) {
  std::vector<int64_t> ids(10'000);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>(i);
  DataFrame df = DataFrame::Make({"id"}, {MakeColumn(ids)});
  const std::vector<double> weights = {0.7, 0.2, 0.1};
  auto a = df.RandomSplit(weights, 7);
  auto b = df.RandomSplit(weights, 7);
  auto c = df.RandomSplit(weights, 8);
  ASSERT_EQ(a.size(), 3u);
  size_t total = 0;
  for (size_t k = 0; k < 3; ++k) {
    total += a[k].num_rows();
    ASSERT_EQ(a[k].num_rows(), b[k].num_rows());
    for (size_t i = 0; i < a[k].num_rows(); ++i) {
      ASSERT_EQ(a[k].column(0)->values<int64_t>()[i], b[k].column(0)->values<int64_t>()[i]);
    }
  }
  EXPECT_EQ(total, ids.size());
  EXPECT_NEAR(a[0].num_rows() / 10000.0, 0.7, 0.03);
  EXPECT_NEAR(a[2].num_rows() / 10000.0, 0.1, 0.02);
  EXPECT_NE(a[0].column(0)->values<int64_t>()[0] + a[0].num_rows(),
            c[0].column(0)->values<int64_t>()[0] + c[0].num_rows());
  EXPECT_THROW(df.RandomSplit(std::vector<double>{-1.0, 2.0}, 1), InvalidArgument);
}

TEST(SummaryTest, NumbersByHand) {
  auto df = DataFrame::Make({"x", "s"}, {MakeNullableColumn<double>({1.0, 2.0, std::nullopt, 6.0, NAN}),
                                         MakeNullableStringColumn({"a", "b", "a", std::nullopt, "c"})});
  for (int threads : {1, 2}) {
    auto s = Summarize(df, Context::Default(threads));
    EXPECT_EQ(s[0].count, 4u);
    EXPECT_EQ(s[0].nulls, 1u);
    EXPECT_EQ(s[0].nans, 1u);
    EXPECT_DOUBLE_EQ(s[0].mean, 3.0);
    EXPECT_DOUBLE_EQ(s[0].std, std::sqrt(7.0));  // ((1-3)^2 + (2-3)^2 + (6-3)^2) / 2 = 7
    EXPECT_EQ(s[0].min, 1.0);
    EXPECT_EQ(s[0].max, 6.0);
    EXPECT_EQ(s[1].distinct, 3u);
    EXPECT_EQ(s[1].nulls, 1u);
  }
}

}  // namespace
}  // namespace ember
