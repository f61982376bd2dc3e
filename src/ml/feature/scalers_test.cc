#include "ml/feature/scalers.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ml/feature/feature_test_util.h"
#include "ml/feature/robust_scaler.h"

namespace ember {
namespace {

using testing::ColumnText;
using testing::ErrorOf;
using testing::MakeStage;
using testing::Near;
using testing::VectorRows;

using Rows = std::vector<std::vector<float>>;

DataFrame Frame(const Rows& rows) {
  std::vector<float> values;
  for (const auto& r : rows) values.insert(values.end(), r.begin(), r.end());
  return DataFrame::Make({"x"}, {MakeDenseVectorColumn(rows.size(), static_cast<int32_t>(rows[0].size()), values)});
}

template <class M>
std::shared_ptr<const M> Fit(const char* name, nlohmann::json params, const DataFrame& df, int threads = 1) {
  params["inputCol"] = "x";
  params["outputCol"] = "y";
  return std::dynamic_pointer_cast<const M>(MakeStage<Estimator>(name, params)->Fit(df, Context::Default(threads)));
}

Rows Out(const Transformer& t, const DataFrame& df) {
  return VectorRows(*t.Transform(df, Context::Default(1)).column("y"));
}

// Stage-independent checks: round trip, threads, schema errors.
void CommonChecks(const char* name, const Model& model, const DataFrame& df) {
  testing::ExpectRoundTripIdentical(model, df);
  testing::ExpectSameFromTwoThreads(model, df);
  auto est = MakeStage<Estimator>(name, {{"inputCol", "nope"}, {"outputCol", "y"}});
  EXPECT_NE(ErrorOf<SchemaError>([&] { est->Fit(df, Context::Default(1)); }).find(std::string(name) + ": inputCol"),
            std::string::npos);
  const DataFrame scalar = DataFrame::Make({"x"}, {MakeColumn<double>({1})});
  EXPECT_EQ(ErrorOf<SchemaError>([&] { model.Transform(scalar, Context::Default(1)); }),
            std::string(model.class_name()) + ": inputCol column 'x' must be a vector column, got float64");
  auto clash = MakeStage<Estimator>(name, {{"inputCol", "x"}, {"outputCol", "x"}});
  EXPECT_THROW(clash->TransformSchema(df.schema()), SchemaError);
  const DataFrame wider = Frame({{1, 2, 3, 4}});
  EXPECT_NE(ErrorOf<SchemaError>([&] { model.Transform(wider, Context::Default(1)); }).find("has size 4"),
            std::string::npos);
}

TEST(StandardScalerTest, SampleStdAndSparsity) {
  const DataFrame df = Frame({{1, 10}, {2, 10}, {3, 10}});
  auto model = Fit<StandardScalerModel>("StandardScaler", {}, df);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->mean(), (std::vector<double>{2, 10}));
  EXPECT_EQ(model->std_dev(), (std::vector<double>{1, 0}));  // n - 1 divisor; std 0 maps to 0
  EXPECT_EQ(Out(*model, df), (Rows{{1, 0}, {2, 0}, {3, 0}}));
  auto centered = Fit<StandardScalerModel>("StandardScaler", {{"withMean", true}}, df);
  EXPECT_EQ(Out(*centered, df), (Rows{{-1, 0}, {0, 0}, {1, 0}}));
  auto mean_only = Fit<StandardScalerModel>("StandardScaler", {{"withMean", true}, {"withStd", false}}, df);
  EXPECT_EQ(Out(*mean_only, df), (Rows{{-1, 0}, {0, 0}, {1, 0}}));
  // Sparse input stays sparse without centering; nulls stay null.
  const DataFrame sparse = DataFrame::Make({"x"}, {MakeSparseVectorColumn(2, {0, 1, 1, 2}, {0, 1}, {2, 4})
                                                       ->WithValidity(Buffer::Copy(std::vector<uint8_t>{1, 0, 1}))});
  auto sm = Fit<StandardScalerModel>("StandardScaler", {}, sparse);
  EXPECT_EQ(sm->mean(), (std::vector<double>{1, 2}));
  const DataFrame out = sm->Transform(sparse, Context::Default(1));
  EXPECT_EQ(out.schema().field(1).type, DataType::SparseVector(2));
  EXPECT_EQ(ColumnText(*out.column("y")),
            fmt::format("{{0|{}}};null;{{1|{}}};", 2 / std::sqrt(2.0f), 4 / std::sqrt(8.0f)));
  auto sc = Fit<StandardScalerModel>("StandardScaler", {{"withMean", true}}, sparse);
  EXPECT_EQ(sc->Transform(sparse, Context::Default(1)).schema().field(1).type, DataType::DenseVector(2));
  CommonChecks("StandardScaler", *model, df);
  const DataFrame all_null = DataFrame::Make(
      {"x"}, {MakeDenseVectorColumn(1, 2, {1, 2})->WithValidity(Buffer::Copy(std::vector<uint8_t>{0}))});
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] { Fit<StandardScalerModel>("StandardScaler", {}, all_null); }),
            "StandardScaler: column 'x' has no non-null rows to fit on");
}

TEST(MinMaxScalerTest, ConstantFeatureMapsToMidpoint) {
  const DataFrame df = Frame({{0, 5}, {5, 5}, {10, 5}});
  auto model = Fit<MinMaxScalerModel>("MinMaxScaler", {}, df);
  EXPECT_EQ(model->original_min(), (std::vector<double>{0, 5}));
  EXPECT_EQ(model->original_max(), (std::vector<double>{10, 5}));
  EXPECT_EQ(Out(*model, df), (Rows{{0, 0.5f}, {0.5f, 0.5f}, {1, 0.5f}}));
  auto wide = Fit<MinMaxScalerModel>("MinMaxScaler", {{"min", -1}, {"max", 3}}, df);
  EXPECT_EQ(Out(*wide, df), (Rows{{-1, 1}, {1, 1}, {3, 1}}));
  EXPECT_EQ(ErrorOf<InvalidArgument>([&] {
              Fit<MinMaxScalerModel>("MinMaxScaler", {{"min", 2}, {"max", 2}}, df);
            }),
            "MinMaxScaler: min (2) must be less than max (2)");
  CommonChecks("MinMaxScaler", *model, df);
}

TEST(MaxAbsScalerTest, DividesByMaxAbs) {
  const DataFrame df = Frame({{-4, 0}, {2, 0}});
  auto model = Fit<MaxAbsScalerModel>("MaxAbsScaler", {}, df);
  EXPECT_EQ(model->max_abs(), (std::vector<double>{4, 0}));
  EXPECT_EQ(Out(*model, df), (Rows{{-1, 0}, {0.5f, 0}}));
  CommonChecks("MaxAbsScaler", *model, df);
}

TEST(RobustScalerTest, QuantileRangeWithLinearInterpolation) {
  const DataFrame df = Frame({{1, 7}, {2, 7}, {3, 7}, {4, 7}, {5, 7}});
  auto model = Fit<RobustScalerModel>("RobustScaler", {}, df);
  EXPECT_EQ(model->median(), (std::vector<double>{3, 7}));
  EXPECT_EQ(model->range(), (std::vector<double>{2, 0}));  // Q(.75) - Q(.25) = 4 - 2
  EXPECT_EQ(Out(*model, df), (Rows{{0.5f, 0}, {1, 0}, {1.5f, 0}, {2, 0}, {2.5f, 0}}));
  auto centered = Fit<RobustScalerModel>("RobustScaler", {{"withCentering", true}, {"lower", 0.1}, {"upper", 0.6}},
                                         Frame({{1}, {2}, {3}, {4}}));
  // Positions (n-1)q: 0.3 -> 1.3, 1.8 -> 2.8; range 1.5; median 2.5.
  EXPECT_NEAR(centered->range()[0], 1.5, 1e-12);
  EXPECT_EQ(Out(*centered, Frame({{1}, {4}})), (Rows{{-1}, {1}}));
  EXPECT_THROW(Fit<RobustScalerModel>("RobustScaler", {{"lower", 0.8}}, df), InvalidArgument);
  CommonChecks("RobustScaler", *model, df);
}

// ---- golden values from scikit-learn (tests/golden/feature/*.json) ----

DataFrame GoldenFrame(const nlohmann::json& g) {
  return DataFrame::Make({"x"}, {testing::GoldenVectorColumn(g.at("inputs"))});
}

void ExpectHead(const Rows& actual, const nlohmann::json& head, const std::function<double(size_t, double)>& convert,
                const std::string& what) {
  for (size_t r = 0; r < head.size(); ++r) {
    for (size_t j = 0; j < head[r].size(); ++j) {
      EXPECT_TRUE(Near(actual[r][j], convert(j, testing::JsonDouble(head[r][j]))))
          << what << " row " << r << " col " << j;
    }
  }
}

TEST(StandardScalerTest, SparseInputOverManyBlocksMatchesTwoPassMoments) {
  // 40000 rows (three row blocks), 4 features stored in a fifth to a half of
  // the rows, with a large offset on feature 2: the sparse fit (stored
  // entries only, zeros merged per block) against a plain two-pass mean and
  // sample variance over every value, zeros included.
  constexpr size_t kRows = 40000;
  constexpr int32_t kDim = 4;
  std::vector<int64_t> offsets{0};
  std::vector<int32_t> indices;
  std::vector<float> values;
  std::vector<double> dense(kRows * kDim, 0.0);
  for (size_t i = 0; i < kRows; ++i) {
    for (int32_t j = 0; j < kDim; ++j) {
      if ((i * 7 + static_cast<size_t>(j) * 3) % (static_cast<size_t>(j) + 2) != 0) continue;
      const float v = static_cast<float>((j == 2 ? 1000.0 : 0.0) + std::sin(0.001 * static_cast<double>(i) + j));
      indices.push_back(j);
      values.push_back(v);
      dense[i * kDim + static_cast<size_t>(j)] = v;
    }
    offsets.push_back(static_cast<int64_t>(indices.size()));
  }
  const DataFrame df = DataFrame::Make({"x"}, {MakeSparseVectorColumn(kDim, offsets, indices, values)});
  auto model = Fit<StandardScalerModel>("StandardScaler", {}, df, 2);
  for (size_t j = 0; j < kDim; ++j) {
    double sum = 0;
    for (size_t i = 0; i < kRows; ++i) sum += dense[i * kDim + j];
    const double mean = sum / kRows;
    double ss = 0;
    for (size_t i = 0; i < kRows; ++i) ss += (dense[i * kDim + j] - mean) * (dense[i * kDim + j] - mean);
    EXPECT_NEAR(model->mean()[j], mean, 1e-12 * std::max(1.0, std::abs(mean))) << j;
    const double sd = std::sqrt(ss / (kRows - 1));
    EXPECT_NEAR(model->std_dev()[j], sd, 1e-10 * std::max(1.0, sd)) << j;
  }
  // Identical for one and two threads (fixed blocks, merged in order).
  auto one = Fit<StandardScalerModel>("StandardScaler", {}, df, 1);
  EXPECT_EQ(one->mean(), model->mean());
  EXPECT_EQ(one->std_dev(), model->std_dev());

  // Transform: the same entries, each divided by its feature's sample std.
  std::vector<double> sd(kDim);
  for (size_t j = 0; j < kDim; ++j) {
    double sum = 0;
    for (size_t i = 0; i < kRows; ++i) sum += dense[i * kDim + j];
    double ss = 0;
    for (size_t i = 0; i < kRows; ++i) ss += std::pow(dense[i * kDim + j] - sum / kRows, 2);
    sd[j] = std::sqrt(ss / (kRows - 1));
  }
  const ColumnPtr out = model->Transform(df, Context::Default(2)).column("y");
  ASSERT_EQ(out->type().id, TypeId::kSparseVector);
  for (size_t i = 0; i < kRows; i += 997) {
    const SparseRow row = out->SparseRowAt(i);
    ASSERT_EQ(row.indices.size(), static_cast<size_t>(offsets[i + 1] - offsets[i])) << i;
    for (size_t k = 0; k < row.indices.size(); ++k) {
      const auto e = static_cast<size_t>(offsets[i]) + k;
      EXPECT_EQ(row.indices[k], indices[e]);
      EXPECT_NEAR(row.values[k], values[e] / sd[static_cast<size_t>(indices[e])], 1e-5 * std::abs(row.values[k]));
    }
  }
  EXPECT_EQ(testing::ColumnText(*out), testing::ColumnText(*model->Transform(df, Context::Default(1)).column("y")));
  // A slice (offsets not starting at 0) gives the same rows.
  EXPECT_EQ(testing::ColumnText(*model->Transform(df.Slice(20000, 15000), Context::Default(2)).column("y")),
            testing::ColumnText(*out->Slice(20000, 15000)));
}

TEST(StandardScalerTest, MatchesSklearnOnDatasets) {
  const nlohmann::json golden = testing::LoadGolden("standard_scaler.json");
  for (const auto& [key, g] : golden.items()) {
    if (key == "generator") continue;
    const DataFrame df = GoldenFrame(g);
    const double n = g.at("n").get<double>();
    const double to_sample = std::sqrt((n - 1) / n);  // sklearn divides by the population std
    auto model = Fit<StandardScalerModel>("StandardScaler", {}, df, 2);
    for (size_t j = 0; j < model->mean().size(); ++j) {
      EXPECT_TRUE(Near(model->mean()[j], g["mean"][j].get<double>(), 1e-9)) << key << j;
      EXPECT_TRUE(Near(model->std_dev()[j], g["scale"][j].get<double>() / to_sample, 1e-9)) << key << j;
    }
    ExpectHead(
        Out(*model, df), g.at("uncentered_head"), [&](size_t, double v) { return v * to_sample; }, key);
    auto centered = Fit<StandardScalerModel>("StandardScaler", {{"withMean", true}}, df, 2);
    ExpectHead(
        Out(*centered, df), g.at("centered_head"), [&](size_t, double v) { return v * to_sample; }, key);
  }
}

TEST(MinMaxScalerTest, MatchesSklearnOnDatasets) {
  const nlohmann::json golden = testing::LoadGolden("min_max_scaler.json");
  for (const auto& [key, g] : golden.items()) {
    if (key == "generator") continue;
    const DataFrame df = GoldenFrame(g);
    auto model = Fit<MinMaxScalerModel>("MinMaxScaler", {}, df, 2);
    EXPECT_EQ(model->original_min(), g.at("data_min").get<std::vector<double>>());
    EXPECT_EQ(model->original_max(), g.at("data_max").get<std::vector<double>>());
    ExpectHead(
        Out(*model, df), g.at("head"), [](size_t, double v) { return v; }, key);
    auto wide = Fit<MinMaxScalerModel>("MinMaxScaler", {{"min", -1}, {"max", 3}}, df, 2);
    ExpectHead(
        Out(*wide, df), g.at("head_m1_3"), [](size_t, double v) { return v; }, key);
  }
}

TEST(MaxAbsScalerTest, MatchesSklearnOnDatasets) {
  const nlohmann::json golden = testing::LoadGolden("max_abs_scaler.json");
  for (const auto& [key, g] : golden.items()) {
    if (key == "generator") continue;
    const DataFrame df = GoldenFrame(g);
    auto model = Fit<MaxAbsScalerModel>("MaxAbsScaler", {}, df, 2);
    EXPECT_EQ(model->max_abs(), g.at("max_abs").get<std::vector<double>>());
    ExpectHead(
        Out(*model, df), g.at("head"), [](size_t, double v) { return v; }, key);
  }
}

// sklearn's RobustScaler uses np.nanpercentile (linear interpolation), the
// same definition as ember, so center_ and scale_ agree. The one difference
// is Spark's rule for a zero range (output 0), where sklearn keeps x.
TEST(RobustScalerTest, MatchesSklearnOnDatasets) {
  const nlohmann::json golden = testing::LoadGolden("robust_scaler.json");
  for (const auto& [key, g] : golden.items()) {
    if (key == "generator") continue;
    const DataFrame df = GoldenFrame(g);
    auto model = Fit<RobustScalerModel>("RobustScaler", {}, df, 2);
    for (size_t j = 0; j < model->range().size(); ++j) {
      const double expected = model->range()[j] == 0 ? 1.0 : model->range()[j];  // sklearn's zero-range scale_
      EXPECT_TRUE(Near(expected, g["scale"][j].get<double>(), 1e-9)) << key << j;
    }
    auto zero_range = [&](size_t j, double v) { return model->range()[j] == 0 ? 0.0 : v; };
    ExpectHead(Out(*model, df), g.at("head"), zero_range, key);
    auto centered =
        Fit<RobustScalerModel>("RobustScaler", {{"withCentering", true}, {"lower", 0.1}, {"upper", 0.9}}, df, 2);
    for (size_t j = 0; j < centered->range().size(); ++j) {
      EXPECT_TRUE(Near(centered->median()[j], g["center_10_90"][j].get<double>(), 1e-9)) << key << j;
      const double range = centered->range()[j] == 0 ? 1.0 : centered->range()[j];
      EXPECT_TRUE(Near(range, g["scale_10_90"][j].get<double>(), 1e-9)) << key << j;
    }
    ExpectHead(
        Out(*centered, df), g.at("head_centered_10_90"),
        [&](size_t j, double v) { return centered->range()[j] == 0 ? 0.0 : v; }, key);
  }
}

}  // namespace
}  // namespace ember
