// Helpers shared by the feature stage tests (test-only, header-only): a
// temporary directory, a registry with every stage, save/load round trips,
// exact frame text for identity checks, two-thread runs, and golden files
// written by scripts/golden/feature_golden.py.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ml/feature/register.h"
#include "ml/pipeline/persistence.h"
#include "ml/pipeline/pipeline.h"

namespace ember::testing {

/// A fresh directory under /tmp, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    char t[] = "/tmp/ember-feature-XXXXXX";
    path_ = ::mkdtemp(t);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// A registry with the pipeline and feature stages.
inline const StageRegistry& Registry() {
  static const StageRegistry registry = [] {
    StageRegistry r;
    RegisterPipelineStages(r);
    RegisterFeatureStages(r);
    return r;
  }();
  return registry;
}

/// A stage built through the registry from JSON params (as YAML would).
template <class T>
std::shared_ptr<const T> MakeStage(const std::string& name, const nlohmann::json& params) {
  std::shared_ptr<const Stage> stage = Registry().Make(name, params);
  auto typed = std::dynamic_pointer_cast<const T>(stage);
  EXPECT_NE(typed, nullptr) << name;
  return typed;
}

/// Saves `stage` and loads it back through the registry.
inline std::shared_ptr<const Transformer> RoundTrip(const Stage& stage) {
  TempDir dir;
  SaveStage(stage, dir / "stage");
  return LoadStageAs<Transformer>(Registry(), dir / "stage");
}

/// Every value of a column as text ("null" for nulls, shortest round-trip
/// form for numbers, so equal text means bit-identical values).
inline std::string ColumnText(const Column& c) {
  std::string out;
  for (size_t i = 0; i < c.length(); ++i) {
    if (!c.IsValid(i)) {
      out += "null;";
      continue;
    }
    switch (c.type().id) {
      case TypeId::kString:
        out += fmt::format("'{}';", c.StringAt(i));
        break;
      case TypeId::kDenseVector:
        out += fmt::format("[{}];", fmt::join(c.DenseRow(i), ","));
        break;
      case TypeId::kSparseVector: {
        const SparseRow r = c.SparseRowAt(i);
        out += fmt::format("{{{}|{}}};", fmt::join(r.indices, ","), fmt::join(r.values, ","));
        break;
      }
      default:
        out += fmt::format("{};", c.NumericAt(i));
    }
  }
  return out;
}

/// Schema (with metadata) and all values of a frame as text.
inline std::string FrameText(const DataFrame& df) {
  std::string out;
  for (size_t k = 0; k < df.num_columns(); ++k) {
    const Field& f = df.schema().field(k);
    out += f.name + ":" + f.type.ToString();
    for (const auto& [key, value] : f.metadata) out += fmt::format(" {}={}", key, value);
    out += "\n" + ColumnText(*df.column(k)) + "\n";
  }
  return out;
}

/// Checks that two threads transforming `input` at once (each with a
/// two-thread context) both get exactly the single-threaded result.
inline void ExpectSameFromTwoThreads(const Transformer& stage, const DataFrame& input) {
  const std::string expected = FrameText(stage.Transform(input, Context::Default(1)));
  std::vector<std::string> results(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 4; ++k) results[t] = FrameText(stage.Transform(input, Context::Default(2)));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(results[0], expected);
  EXPECT_EQ(results[1], expected);
}

/// Checks that the saved-and-loaded stage transforms `input` identically.
inline void ExpectRoundTripIdentical(const Transformer& stage, const DataFrame& input) {
  auto loaded = RoundTrip(stage);
  EXPECT_EQ(loaded->class_name(), stage.class_name());
  EXPECT_EQ(loaded->uid(), stage.uid());
  EXPECT_EQ(FrameText(loaded->Transform(input, Context::Default(1))),
            FrameText(stage.Transform(input, Context::Default(1))));
}

/// Rows of a vector column, densified.
inline std::vector<std::vector<float>> VectorRows(const Column& c) {
  std::vector<std::vector<float>> rows;
  for (size_t i = 0; i < c.length(); ++i) {
    std::vector<float> row(static_cast<size_t>(c.type().dim), 0.0f);
    if (c.type().id == TypeId::kDenseVector) {
      row.assign(c.DenseRow(i).begin(), c.DenseRow(i).end());
    } else {
      const SparseRow r = c.SparseRowAt(i);
      for (size_t k = 0; k < r.indices.size(); ++k) row[static_cast<size_t>(r.indices[k])] = r.values[k];
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

/// Values of a numeric column as doubles (NaN for nulls).
inline std::vector<double> Doubles(const Column& c) {
  std::vector<double> out;
  for (size_t i = 0; i < c.length(); ++i) out.push_back(c.NumericAt(i));
  return out;
}

/// Runs `f` and returns the message of the E it throws ("" and a failure when none).
template <class E, class F>
std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an exception";
  return "";
}

/// A golden file of tests/golden/feature/ (see scripts/golden/feature_golden.py).
inline nlohmann::json LoadGolden(const std::string& name) {
  const std::string path = std::string(EMBER_TEST_DATA_DIR) + "/../golden/feature/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

/// A JSON number, or NaN for null / "NaN".
inline double JsonDouble(const nlohmann::json& v) {
  return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

/// A float64 column from a JSON array; JSON null becomes a null row.
inline ColumnPtr GoldenDoubleColumn(const nlohmann::json& values) {
  std::vector<double> v;
  std::vector<uint8_t> valid;
  bool any_null = false;
  for (const auto& x : values) {
    v.push_back(x.is_null() ? 0.0 : JsonDouble(x));
    valid.push_back(!x.is_null());
    any_null = any_null || x.is_null();
  }
  return MakeColumn(v, any_null ? valid : std::vector<uint8_t>{});
}

/// A dense vector column from a JSON list of equal-length rows.
inline ColumnPtr GoldenVectorColumn(const nlohmann::json& rows) {
  const auto dim = static_cast<int32_t>(rows.at(0).size());
  std::vector<float> values;
  for (const auto& row : rows) {
    for (const auto& x : row) values.push_back(static_cast<float>(JsonDouble(x)));
  }
  return MakeDenseVectorColumn(rows.size(), dim, values);
}

/// |actual - expected| <= tol * max(1, |expected|), NaN matching NaN.
inline ::testing::AssertionResult Near(double actual, double expected, double tol = 1e-6) {
  if (std::isnan(expected) && std::isnan(actual)) return ::testing::AssertionSuccess();
  if (std::isinf(expected) && actual == expected) return ::testing::AssertionSuccess();
  if (!std::isfinite(expected) || !std::isfinite(actual)) {
    return ::testing::AssertionFailure() << actual << " vs expected " << expected;
  }
  if (std::abs(actual - expected) <= tol * std::max(1.0, std::abs(expected))) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << actual << " vs expected " << expected;
}

}  // namespace ember::testing
