// Helpers shared by the tests of the derived-feature and text stages: a
// registry with those stages, temporary directories, save/load round trips,
// vector rows as plain values, two-thread runs and golden JSON files.
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ml/feature/register_text.h"
#include "ml/pipeline/persistence.h"
#include "ml/pipeline/pipeline.h"

namespace ember::text_test {

inline StageRegistry Registry() {
  StageRegistry r;
  RegisterPipelineStages(r);
  RegisterDerivedAndTextStages(r);
  return r;
}

class TempDir {
 public:
  TempDir() {
    char t[] = "/tmp/ember-text-XXXXXX";
    path_ = ::mkdtemp(t);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& n) const { return path_ + "/" + n; }

 private:
  std::string path_;
};

/// Saves a stage and loads it back through the registry.
inline std::shared_ptr<const Stage> SaveAndLoad(const Stage& stage) {
  TempDir dir;
  SaveStage(stage, dir / "stage");
  return LoadStage(Registry(), dir / "stage");
}

/// Rows of a dense or sparse vector column as dense rows (null rows empty).
inline std::vector<std::vector<float>> VectorRows(const Column& c) {
  std::vector<std::vector<float>> out(c.length());
  for (size_t i = 0; i < c.length(); ++i) {
    if (c.IsNull(i)) continue;
    out[i].assign(static_cast<size_t>(c.type().dim), 0.0f);
    if (c.type().id == TypeId::kDenseVector) {
      const auto d = c.DenseRow(i);
      out[i].assign(d.begin(), d.end());
    } else {
      const SparseRow s = c.SparseRowAt(i);
      for (size_t k = 0; k < s.indices.size(); ++k) out[i][static_cast<size_t>(s.indices[k])] = s.values[k];
    }
  }
  return out;
}

/// (index, value) pairs of each row of a sparse vector column.
inline std::vector<std::vector<std::pair<int32_t, float>>> SparseEntries(const Column& c) {
  std::vector<std::vector<std::pair<int32_t, float>>> out(c.length());
  for (size_t i = 0; i < c.length(); ++i) {
    const SparseRow s = c.SparseRowAt(i);
    for (size_t k = 0; k < s.indices.size(); ++k) out[i].emplace_back(s.indices[k], s.values[k]);
  }
  return out;
}

inline std::vector<double> Doubles(const Column& c) {
  std::vector<double> out(c.length());
  for (size_t i = 0; i < c.length(); ++i) out[i] = c.NumericAt(i);
  return out;
}

/// Runs fn on two threads at once, many times each, and returns each thread's last result.
template <class F>
auto OnTwoThreads(F fn) {
  using R = decltype(fn());
  std::vector<R> results(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 50; ++k) results[static_cast<size_t>(t)] = fn();
    });
  }
  for (auto& t : threads) t.join();
  return results;
}

/// A golden file written by scripts/golden/text_golden.py.
inline nlohmann::json Golden(const std::string& name) {
  const char* env = std::getenv("EMBER_TEST_DATA_DIR");
  const std::string data = env != nullptr ? env : EMBER_TEST_DATA_DIR;
  std::ifstream in(data + "/../golden/text/" + name);
  EXPECT_TRUE(in.good()) << "missing golden file " << name << "; run scripts/golden/text_golden.py";
  return nlohmann::json::parse(in);
}

/// The message of the exception fn throws as E ("" when it throws nothing).
template <class E, class F>
std::string ErrorOf(F fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

}  // namespace ember::text_test
