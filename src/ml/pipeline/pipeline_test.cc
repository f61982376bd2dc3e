#include "ml/pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/atomic_file.h"
#include "ml/pipeline/artifact.h"
#include "ml/pipeline/persistence.h"

namespace ember {
namespace {

namespace fs = std::filesystem;

// Two tiny stages defined here so the tests exercise the framework alone:
// AddConstant (a transformer: out = in + value) and Centerer (an estimator
// whose model subtracts the fitted mean).

const ParamTable& AddConstantParams() {
  static const ParamTable t = [] {
    ParamTable p("AddConstant");
    p.String("inputCol", std::nullopt, "input column").String("outputCol", std::nullopt, "output column");
    p.Double("value", 1.0, "constant added");
    return p;
  }();
  return t;
}

class AddConstant final : public Transformer {
 public:
  AddConstant(ParamMap p, std::string uid) : Transformer(std::move(p), std::move(uid)) {}
  Schema TransformSchema(const Schema& in) const override {
    RequireNumericColumn(*this, in, "inputCol", params().GetString("inputCol"));
    RequireAbsent(*this, in, "outputCol", params().GetString("outputCol"));
    return AppendField(in, {params().GetString("outputCol"), DataType::Float64(), {}});
  }
  DataFrame Transform(const DataFrame& in, const Context&) const override {
    TransformSchema(in.schema());
    const Column& c = *in.column(params().GetString("inputCol"));
    std::vector<double> out(c.length());
    for (size_t i = 0; i < out.size(); ++i) out[i] = c.NumericAt(i) + params().GetDouble("value");
    return in.WithColumn(params().GetString("outputCol"), MakeColumn(out));
  }
};

const ParamTable& CentererParams() {
  static const ParamTable t = [] {
    ParamTable p("Centerer");
    p.String("inputCol", std::nullopt, "input column").String("outputCol", "centered", "output column");
    return p;
  }();
  return t;
}
const ParamTable& CentererModelParams() {
  static const ParamTable t = [] {
    ParamTable p("CentererModel");
    p.String("inputCol", std::nullopt, "input column").String("outputCol", "centered", "output column");
    return p;
  }();
  return t;
}

std::atomic<int> g_fits{0};

class CentererModel final : public Model {
 public:
  CentererModel(ParamMap p, std::string uid, Schema in, double mean)
      : Model(std::move(p), std::move(uid), std::move(in)), mean_(mean) {}
  double mean() const { return mean_; }
  Schema TransformSchema(const Schema& in) const override {
    RequireNumericColumn(*this, in, "inputCol", params().GetString("inputCol"));
    return AppendField(in, {params().GetString("outputCol"), DataType::Float64(), {}});
  }
  DataFrame Transform(const DataFrame& in, const Context&) const override {
    const Column& c = *in.column(params().GetString("inputCol"));
    std::vector<double> out(c.length());
    for (size_t i = 0; i < out.size(); ++i) out[i] = c.NumericAt(i) - mean_;
    return in.WithColumn(params().GetString("outputCol"), MakeColumn(out));
  }
  void SaveData(ArtifactWriter& w) const override { w.PutDoubles("mean", std::vector<double>{mean_}); }

 private:
  double mean_;
};

class Centerer final : public Estimator {
 public:
  Centerer(ParamMap p, std::string uid) : Estimator(std::move(p), std::move(uid)) {}
  Schema TransformSchema(const Schema& in) const override {
    RequireNumericColumn(*this, in, "inputCol", params().GetString("inputCol"));
    RequireAbsent(*this, in, "outputCol", params().GetString("outputCol"));
    return AppendField(in, {params().GetString("outputCol"), DataType::Float64(), {}});
  }
  ModelPtr Fit(const DataFrame& in, const Context&) const override {
    ++g_fits;
    const Column& c = *in.column(params().GetString("inputCol"));
    double sum = 0;
    for (size_t i = 0; i < c.length(); ++i) sum += c.NumericAt(i);
    ParamMap p(CentererModelParams());
    p.SetFromJson(params().ExplicitToJson());
    return std::make_shared<CentererModel>(std::move(p), uid(), in.schema(), sum / c.length());
  }
};

StageRegistry TestRegistry() {
  StageRegistry r;
  RegisterPipelineStages(r);
  r.Register({.name = "AddConstant",
              .kind = StageKind::kTransformer,
              .params = &AddConstantParams(),
              .make = [](ParamMap p, std::string uid) { return std::make_unique<AddConstant>(std::move(p), uid); }});
  r.Register({.name = "Centerer",
              .kind = StageKind::kEstimator,
              .params = &CentererParams(),
              .make = [](ParamMap p, std::string uid) { return std::make_unique<Centerer>(std::move(p), uid); }});
  r.Register({.name = "CentererModel",
              .kind = StageKind::kModel,
              .params = &CentererModelParams(),
              .load = [](const ArtifactReader& rd, const StageRegistry&) -> std::shared_ptr<const Stage> {
                const auto mean = rd.GetDoubles("mean");
                if (mean.size() != 1) throw CorruptData("mean must hold one value");
                return std::make_shared<CentererModel>(rd.Params(CentererModelParams()), rd.uid(), rd.InputSchema(),
                                                       mean[0]);
              }});
  return r;
}

std::unique_ptr<Pipeline> TwoStagePipeline(const StageRegistry& r) {
  std::vector<std::shared_ptr<const Stage>> stages;
  stages.push_back(r.Make("AddConstant", {{"inputCol", "x"}, {"outputCol", "x2"}, {"value", 10}}));
  stages.push_back(r.Make("Centerer", {{"inputCol", "x2"}}));
  return Pipeline::Make(std::move(stages));
}

DataFrame Input() { return DataFrame::Make({"x"}, {MakeColumn<double>({1, 2, 3, 6})}); }

class TempDir {
 public:
  TempDir() {
    char t[] = "/tmp/ember-pipe-XXXXXX";
    path_ = ::mkdtemp(t);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string operator/(const std::string& n) const { return path_ + "/" + n; }

 private:
  std::string path_;
};

std::vector<double> Centered(const DataFrame& df) {
  auto v = df.column("centered")->values<double>();
  return {v.begin(), v.end()};
}

TEST(PipelineTest, FitsEachEstimatorOnThePreviousOutput) {
  const StageRegistry r = TestRegistry();
  auto model = TwoStagePipeline(r)->Fit(Input(), Context::Default(1));
  // x2 = x + 10 = {11, 12, 13, 16}, mean 13 -> centered {-2, -1, 0, 3}.
  EXPECT_EQ(Centered(model->Transform(Input(), Context::Default(1))), (std::vector<double>{-2, -1, 0, 3}));
}

TEST(PipelineTest, FitTransformFitsOnceAndTransformsThroughTheLastStage) {
  const StageRegistry r = TestRegistry();
  std::vector<std::shared_ptr<const Stage>> stages;
  stages.push_back(r.Make("AddConstant", {{"inputCol", "x"}, {"outputCol", "x2"}, {"value", 10}}));
  stages.push_back(r.Make("Centerer", {{"inputCol", "x2"}}));
  stages.push_back(r.Make("AddConstant", {{"inputCol", "centered"}, {"outputCol", "y"}, {"value", 1}}));
  const int fits = g_fits;
  const FitOutput fitted = Pipeline::Make(std::move(stages))->FitTransform(Input(), Context::Default(1));
  EXPECT_EQ(g_fits, fits + 1);
  // x2 = {11, 12, 13, 16}, mean 13 -> centered {-2, -1, 0, 3} -> y = centered + 1.
  EXPECT_EQ(fitted.output.schema().names(), (std::vector<std::string>{"x", "x2", "centered", "y"}));
  EXPECT_EQ(Centered(fitted.output), (std::vector<double>{-2, -1, 0, 3}));
  const auto y = fitted.output.column("y")->values<double>();
  EXPECT_EQ(std::vector<double>(y.begin(), y.end()), (std::vector<double>{-1, 0, 1, 4}));
  // The model is the one Fit returns: its transform gives the same frame.
  const DataFrame again = fitted.model->Transform(Input(), Context::Default(1));
  EXPECT_EQ(Centered(again), Centered(fitted.output));
  EXPECT_EQ(g_fits, fits + 1);
}

TEST(PipelineTest, SchemaErrorsComeBeforeAnyWork) {
  const StageRegistry r = TestRegistry();
  const int fits = g_fits;
  auto bad = DataFrame::Make({"y"}, {MakeColumn<double>({1})});
  try {
    TwoStagePipeline(r)->Fit(bad, Context::Default(1));
    FAIL();
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()), "AddConstant: inputCol column: no column 'x' (columns: y)");
  }
  auto text = DataFrame::Make({"x"}, {MakeStringColumn({"a"})});
  EXPECT_THROW(TwoStagePipeline(r)->Fit(text, Context::Default(1)), SchemaError);
  auto clash = DataFrame::Make({"x", "x2"}, {MakeColumn<double>({1}), MakeColumn<double>({1})});
  EXPECT_THROW(TwoStagePipeline(r)->Fit(clash, Context::Default(1)), SchemaError);
  EXPECT_EQ(g_fits, fits);  // no estimator ran
}

TEST(PipelineTest, RegistryRejectsUnknownStagesAndParams) {
  const StageRegistry r = TestRegistry();
  try {
    r.Make("Centrer", {});
    FAIL();
  } catch (const NotFound& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'Centerer'?"), std::string::npos) << e.what();
  }
  EXPECT_THROW(r.Make("AddConstant", {{"inputColl", "x"}}), InvalidArgument);
  EXPECT_THROW(r.Make("CentererModel", {}), InvalidArgument);
}

TEST(PipelineTest, SaveLoadRoundTripGivesIdenticalOutput) {
  TempDir dir;
  const StageRegistry r = TestRegistry();
  auto model = TwoStagePipeline(r)->Fit(Input(), Context::Default(1));
  SaveStage(*model, dir / "model");
  auto loaded = LoadStageAs<PipelineModel>(r, dir / "model");
  EXPECT_EQ(Centered(loaded->Transform(Input(), Context::Default(1))),
            Centered(model->Transform(Input(), Context::Default(1))));
  EXPECT_EQ(loaded->input_schema(), Input().schema());
  const auto meta = nlohmann::json::parse(ReadFileToString(dir / "model/metadata.json"));
  EXPECT_EQ(meta["class"], "PipelineModel");
  EXPECT_EQ(meta["outputSchema"].size(), 3u);
  // The unfitted pipeline saves and loads too.
  SaveStage(*TwoStagePipeline(r), dir / "pipeline");
  auto pipeline = LoadStageAs<Pipeline>(r, dir / "pipeline");
  EXPECT_EQ(Centered(pipeline->Fit(Input(), Context::Default(1))->Transform(Input(), Context::Default(1))),
            (std::vector<double>{-2, -1, 0, 3}));
}

TEST(PipelineTest, SaveNeedsOverwriteAndReplacesAtomically) {
  TempDir dir;
  const StageRegistry r = TestRegistry();
  auto model = TwoStagePipeline(r)->Fit(Input(), Context::Default(1));
  SaveStage(*model, dir / "m");
  EXPECT_THROW(SaveStage(*model, dir / "m"), IoError);
  auto other = TwoStagePipeline(r)->Fit(DataFrame::Make({"x"}, {MakeColumn<double>({0, 0})}), Context::Default(1));
  SaveStage(*other, dir / "m", SaveMode::kOverwrite);
  auto loaded = LoadStageAs<PipelineModel>(r, dir / "m");
  EXPECT_EQ(loaded->uid(), other->uid());
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir / "")) entries += e.path().filename().string()[0] == '.' ? 100 : 1;
  EXPECT_EQ(entries, 1u);  // no temporary or old directory left beside it
  EXPECT_THROW(SaveStage(*model, dir / "missing/m"), NotFound);
}

TEST(PipelineTest, DamagedSavesFailClearly) {
  TempDir dir;
  const StageRegistry r = TestRegistry();
  auto model = TwoStagePipeline(r)->Fit(Input(), Context::Default(1));
  SaveStage(*model, dir / "m");
  std::string nested;
  for (const auto& e : fs::directory_iterator(dir / "m/stages")) {
    if (e.path().filename().string().starts_with("001_")) nested = e.path().string();
  }
  ASSERT_FALSE(nested.empty());
  const std::string array = nested + "/data/mean.bin";

  // Corrupted array bytes.
  std::string bytes = ReadFileToString(array);
  bytes[3] ^= 0x40;
  WriteFileAtomically(array, bytes);
  try {
    LoadStage(r, dir / "m");
    FAIL();
  } catch (const CorruptData& e) {
    EXPECT_NE(std::string(e.what()).find("checksum mismatch"), std::string::npos) << e.what();
  }
  bytes[3] ^= 0x40;
  WriteFileAtomically(array, bytes);
  EXPECT_NO_THROW(LoadStage(r, dir / "m"));

  // Truncated metadata, a newer format, an unknown class, a wrong kind.
  const std::string meta_path = dir / "m/metadata.json";
  const std::string meta = ReadFileToString(meta_path);
  WriteFileAtomically(meta_path, meta.substr(0, meta.size() / 2));
  EXPECT_THROW(LoadStage(r, dir / "m"), CorruptData);
  auto j = nlohmann::json::parse(meta);
  j["formatVersion"] = 99;
  WriteFileAtomically(meta_path, j.dump());
  try {
    LoadStage(r, dir / "m");
    FAIL();
  } catch (const CorruptData& e) {
    EXPECT_NE(std::string(e.what()).find("version 99"), std::string::npos) << e.what();
  }
  j["formatVersion"] = 1;
  j["class"] = "Mystery";
  WriteFileAtomically(meta_path, j.dump());
  EXPECT_THROW(LoadStage(r, dir / "m"), CorruptData);
  WriteFileAtomically(meta_path, meta);
  EXPECT_THROW(LoadStageAs<Pipeline>(r, dir / "m"), InvalidArgument);
  EXPECT_THROW(LoadStage(r, dir / "nothing-here"), NotFound);
  fs::remove(array);
  EXPECT_THROW(LoadStage(r, dir / "m"), CorruptData);
}

TEST(PipelineTest, ModelServesTwoThreadsAtOnce) {
  const StageRegistry r = TestRegistry();
  auto model = TwoStagePipeline(r)->Fit(Input(), Context::Default(1));
  std::vector<std::vector<double>> results(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 200; ++k) results[t] = Centered(model->Transform(Input(), Context::Default(1)));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(results[0], (std::vector<double>{-2, -1, 0, 3}));
  EXPECT_EQ(results[1], results[0]);
}

}  // namespace
}  // namespace ember
