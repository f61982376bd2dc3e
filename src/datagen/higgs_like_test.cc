#include "datagen/higgs_like.h"

#include <cmath>

#include <gtest/gtest.h>

namespace ember {
namespace {

bool SameFrames(const DataFrame& a, const DataFrame& b) {
  if (a.num_rows() != b.num_rows() || !(a.schema() == b.schema())) return false;
  for (size_t c = 0; c < a.num_columns(); ++c) {
    const auto x = a.column(c)->buffers().values;
    const auto y = b.column(c)->buffers().values;
    if (x->size() != y->size() || std::memcmp(x->data(), y->data(), x->size()) != 0) return false;
  }
  return true;
}

TEST(SyntheticTest, RowsDependOnlyOnSeedAndIndex) {
  SyntheticOptions o;
  const DataFrame whole = GenerateSynthetic(0, 3000, o, Context::Default(1));
  EXPECT_TRUE(SameFrames(whole, GenerateSynthetic(0, 3000, o, Context::Default(2))));
  // A later batch equals the matching slice of one big batch.
  EXPECT_TRUE(SameFrames(whole.Slice(1000, 2000).Take(std::vector<int64_t>{0, 1, 1999}),
                         GenerateSynthetic(1000, 2000, o, Context::Default(2)).Take(std::vector<int64_t>{0, 1, 1999})));
  o.seed = 43;
  EXPECT_FALSE(SameFrames(whole, GenerateSynthetic(0, 3000, o, Context::Default(1))));
}

TEST(SyntheticTest, ShapeAndValueRanges) {
  const DataFrame df = GenerateSynthetic(0, 20000, {}, Context::Default(2));
  ASSERT_EQ(df.num_columns(), 29u);
  EXPECT_EQ(df.schema().field(0).name, "label");
  EXPECT_EQ(df.schema().field(9).name, "jet1_btag");
  const auto label = df.column("label")->values<int32_t>();
  double positives = 0;
  for (int32_t y : label) {
    ASSERT_TRUE(y == 0 || y == 1);
    positives += y;
  }
  // The label model's intercept puts the positive rate near 0.4; a wide band
  // catches a broken model without pinning its exact output.
  EXPECT_GT(positives / label.size(), 0.25);
  EXPECT_LT(positives / label.size(), 0.6);
  for (float b : df.column("jet3_btag")->values<float>()) ASSERT_TRUE(b == 0 || b == 1 || b == 2);
  for (float pt : df.column("lep_pt")->values<float>()) ASSERT_GT(pt, 0.0f);
  for (float eta : df.column("jet2_eta")->values<float>()) ASSERT_LE(std::abs(eta), 2.5f);
  for (size_t c = 1; c < 29; ++c) {
    for (float v : df.column(c)->values<float>()) ASSERT_TRUE(std::isfinite(v));
  }
}

TEST(SyntheticTest, MissingRateAppliesToThreeColumns) {
  SyntheticOptions o;
  o.missing_rate = 0.05;
  const DataFrame df = GenerateSynthetic(0, 40000, o, Context::Default(2));
  auto nan_fraction = [&](const char* name) {
    double n = 0;
    for (float v : df.column(name)->values<float>()) n += std::isnan(v);
    return n / df.num_rows();
  };
  EXPECT_NEAR(nan_fraction("met"), 0.03, 0.006);
  EXPECT_NEAR(nan_fraction("m_jj"), 0.05, 0.008);
  EXPECT_NEAR(nan_fraction("m_bb"), 0.07, 0.008);
  EXPECT_EQ(nan_fraction("lep_pt"), 0.0);
  o.missing_rate = 0.9;
  EXPECT_THROW(GenerateSynthetic(0, 10, o, Context::Default(1)), InvalidArgument);
}

TEST(SyntheticTest, RegressionAndMulticlassLabels) {
  SyntheticOptions o;
  o.task = SyntheticTask::kMulticlass;
  const DataFrame m = GenerateSynthetic(0, 20000, o, Context::Default(2));
  std::vector<int> counts(4);
  for (int32_t y : m.column("label")->values<int32_t>()) {
    ASSERT_GE(y, 0);
    ASSERT_LE(y, 3);
    counts[y]++;
  }
  for (int c : counts) EXPECT_GT(c, 1000);  // every class present in quantity
  o.task = SyntheticTask::kRegression;
  const DataFrame r = GenerateSynthetic(0, 100, o, Context::Default(1));
  EXPECT_EQ(r.schema().field(0).type, DataType::Float32());
  EXPECT_THROW(ParseSyntheticTask("ranking"), InvalidArgument);
}

}  // namespace
}  // namespace ember
