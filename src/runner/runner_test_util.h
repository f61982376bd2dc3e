// Fixtures of the runner tests: a temporary folder with a small CSV whose
// label follows a known rule, and a spec over it.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "core/random.h"

namespace ember::runner::testing {

/// A fresh folder under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            fmt::format("ember_runner_{}_{}", ::getpid(), counter_++);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

/// Rows of "x1,x2,color,label": label is "yes" when x1 + x2 + (color == red)
/// plus seeded noise is positive; colors cycle through `colors`.
inline void WriteToyCsv(const std::string& path, int rows, uint64_t seed, const std::string& colors = "red,green,blue",
                        const std::string& fixed_label = "") {
  std::vector<std::string> palette;
  for (size_t start = 0; start <= colors.size();) {
    const size_t comma = colors.find(',', start);
    palette.push_back(colors.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  std::ofstream out(path);
  out << "x1,x2,color,label\n";
  for (int i = 0; i < rows; ++i) {
    const double x1 = UniformAt(seed, 3 * i) * 2 - 1;
    const double x2 = UniformAt(seed, 3 * i + 1) * 2 - 1;
    const std::string& color = palette[static_cast<size_t>(i) % palette.size()];
    const double noise = (UniformAt(seed, 3 * i + 2) - 0.5) * 1.5;
    const bool yes = x1 + 0.5 * x2 + (color == "red" ? 0.6 : -0.2) + noise > 0;
    out << fmt::format("{:.6f},{:.6f},{},{}\n", x1, x2, color, fixed_label.empty() ? (yes ? "yes" : "no") : fixed_label);
  }
}

/// A spec over `train` (relative paths resolve against the spec's folder).
inline std::string ToySpec(const std::string& train, const std::string& extra = "") {
  return fmt::format(R"(name: toy
seed: 11
data:
  train: {}
  split: {{test: 0.25, stratify: true}}
label: {{column: label, positive: "yes"}}
pipeline:
  - stage: StringIndexer
    inputCols: [color]
    outputCols: [color_idx]
  - stage: OneHotEncoder
    inputCols: [color_idx]
    outputCols: [color_vec]
  - stage: VectorAssembler
    inputCols: [x1, x2, color_vec]
    outputCol: features
  - stage: LogisticRegression
    regParam: 0.01
evaluate:
  metrics: [areaUnderROC, accuracy]
tracking: {{experiment: toy}}
{})",
                     train, extra);
}

}  // namespace ember::runner::testing
