#include "datagen/higgs_like.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "core/error.h"
#include "core/parallel_for.h"
#include "core/random.h"

namespace ember {

namespace {

constexpr int kFeatures = 28;
constexpr double kPi = std::numbers::pi;

// Columns of the features, named as in HIGGS.
enum : int { kLepPt = 0, kLepEta, kLepPhi, kMet, kMetPhi, kJet0 = 5, kMjj = 21, kMjjj, kMlv, kMjlv, kMbb, kMwbb, kMwwbb };
int JetPt(int j) { return kJet0 + 4 * j; }
int JetEta(int j) { return kJet0 + 4 * j + 1; }
int JetPhi(int j) { return kJet0 + 4 * j + 2; }
int JetBtag(int j) { return kJet0 + 4 * j + 3; }

/// A massless four-vector (E, px, py, pz).
struct P4 {
  double e = 0, px = 0, py = 0, pz = 0;
  static P4 FromPtEtaPhi(double pt, double eta, double phi) {
    return {pt * std::cosh(eta), pt * std::cos(phi), pt * std::sin(phi), pt * std::sinh(eta)};
  }
  P4 operator+(const P4& o) const { return {e + o.e, px + o.px, py + o.py, pz + o.pz}; }
  double Mass() const { return std::sqrt(std::max(e * e - px * px - py * py - pz * pz, 0.0)); }
};

double Gaussian(double x, double mean, double sd) { return std::exp(-0.5 * ((x - mean) / sd) * ((x - mean) / sd)); }

/// Draws one row's features into x and returns the noiseless latent score zx.
double DrawRow(Rng& rng, double* x) {
  x[kLepPt] = std::exp(rng.Normal(0.0, 0.5));
  x[kLepEta] = std::clamp(rng.Normal(), -2.5, 2.5);
  x[kLepPhi] = rng.Uniform(-kPi, kPi);
  x[kMet] = rng.Exponential(1.0);
  x[kMetPhi] = rng.Uniform(-kPi, kPi);
  for (int j = 0; j < 4; ++j) {
    x[JetPt(j)] = std::exp(rng.Normal(0.1 - 0.15 * j, 0.6));  // leading jets are harder
    x[JetEta(j)] = std::clamp(rng.Normal(0.0, 1.2), -2.5, 2.5);
    x[JetPhi(j)] = rng.Uniform(-kPi, kPi);
    const double u = rng.Uniform();
    x[JetBtag(j)] = u < 0.6 ? 0.0 : (u < 0.85 ? 1.0 : 2.0);
  }
  const P4 lep = P4::FromPtEtaPhi(x[kLepPt], x[kLepEta], x[kLepPhi]);
  const P4 nu{x[kMet], x[kMet] * std::cos(x[kMetPhi]), x[kMet] * std::sin(x[kMetPhi]), 0.0};
  P4 jet[4];
  for (int j = 0; j < 4; ++j) jet[j] = P4::FromPtEtaPhi(x[JetPt(j)], x[JetEta(j)], x[JetPhi(j)]);
  x[kMjj] = (jet[0] + jet[1]).Mass();
  x[kMjjj] = (jet[0] + jet[1] + jet[2]).Mass();
  x[kMlv] = std::sqrt(std::max(2 * x[kLepPt] * x[kMet] * (1 - std::cos(x[kLepPhi] - x[kMetPhi])), 0.0));
  x[kMjlv] = (jet[0] + lep + nu).Mass();
  x[kMbb] = (jet[2] + jet[3]).Mass();
  x[kMwbb] = (jet[0] + jet[2] + jet[3]).Mass();
  x[kMwwbb] = (jet[0] + jet[1] + jet[2] + jet[3] + lep).Mass();

  // Latent score: a weak monotone part that a linear model can use, plus
  // resonance bumps, |eta| terms and a b-tag gate that only trees capture.
  double tagged = 0;
  for (int j = 0; j < 4; ++j) tagged += x[JetBtag(j)] >= 1 ? 1 : 0;
  const double btag34 = x[JetBtag(2)] + x[JetBtag(3)];
  double z = -1.35;
  z += 0.6 * (std::log1p(x[kLepPt]) - 0.7) / 0.3;
  z += -0.5 * (x[kMet] - 1.0);
  z += 0.4 * (btag34 - 1.1);
  z += 0.4 * (std::log1p(x[kMwwbb]) - 2.1) / 0.35;
  z += 4.0 * Gaussian(x[kMbb], 1.2, 0.25) * (0.4 + 0.3 * std::min(btag34, 2.0));
  z += 2.6 * Gaussian(x[kMjj], 1.6, 0.35);
  z += -1.0 * (std::abs(x[kLepEta]) - 0.8);
  z += -0.6 * (std::abs(x[JetEta(0)] - x[JetEta(1)]) - 1.3);
  z += 1.5 * (tagged >= 2 ? std::tanh(x[kMlv] - 1.0) : 0.0);
  return z;
}

constexpr double kLatentNoiseSd = 0.3;
constexpr double kMulticlassCuts[] = {-2.0, -0.5, 1.0};
constexpr int kMissingColumns[] = {kMet, kMjj, kMbb};
constexpr double kMissingScale[] = {0.6, 1.0, 1.4};

}  // namespace

SyntheticTask ParseSyntheticTask(std::string_view name) {
  if (name == "binary") return SyntheticTask::kBinary;
  if (name == "regression") return SyntheticTask::kRegression;
  if (name == "multiclass") return SyntheticTask::kMulticlass;
  throw InvalidArgument(fmt::format("unknown task '{}'; valid tasks: binary, regression, multiclass", name));
}

const std::vector<std::string>& SyntheticFeatureNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n = {"lep_pt", "lep_eta", "lep_phi", "met", "met_phi"};
    for (int j = 1; j <= 4; ++j) {
      for (const char* q : {"pt", "eta", "phi", "btag"}) n.push_back(fmt::format("jet{}_{}", j, q));
    }
    for (const char* m : {"m_jj", "m_jjj", "m_lv", "m_jlv", "m_bb", "m_wbb", "m_wwbb"}) n.push_back(m);
    return n;
  }();
  return names;
}

DataFrame GenerateSynthetic(uint64_t first_row, size_t rows, const SyntheticOptions& options, const Context& ctx) {
  if (!(options.missing_rate >= 0.0 && options.missing_rate <= 0.5)) {
    throw InvalidArgument(fmt::format("missing rate must be in [0, 0.5], got {}", options.missing_rate));
  }
  std::vector<std::shared_ptr<Buffer>> features;
  for (int f = 0; f < kFeatures; ++f) features.push_back(Buffer::Allocate(rows * sizeof(float)));
  const bool regression = options.task == SyntheticTask::kRegression;
  auto label = Buffer::Allocate(rows * 4);

  ParallelFor(ctx, rows, kDefaultBlockRows, [&](const BlockRange& r) {
    double x[kFeatures];
    float* out[kFeatures];
    for (int f = 0; f < kFeatures; ++f) out[f] = features[f]->mutable_as<float>();
    for (size_t i = r.begin; i < r.end; ++i) {
      Rng rng(options.seed, first_row + i);
      const double zx = DrawRow(rng, x);
      const double z = zx + rng.Normal(0.0, kLatentNoiseSd);
      const double u = rng.Uniform();
      switch (options.task) {
        case SyntheticTask::kBinary:
          label->mutable_as<int32_t>()[i] = u < 1.0 / (1.0 + std::exp(-z)) ? 1 : 0;
          break;
        case SyntheticTask::kRegression:
          label->mutable_as<float>()[i] = static_cast<float>(z + rng.Normal(0.0, 0.5));
          break;
        case SyntheticTask::kMulticlass: {
          const double v = std::max(u, 1e-12);
          const double noisy = z + std::log(v) - std::log1p(-v);  // + standard logistic noise
          int32_t c = 0;
          for (double cut : kMulticlassCuts) c += noisy > cut ? 1 : 0;
          label->mutable_as<int32_t>()[i] = c;
          break;
        }
      }
      for (int k = 0; k < 3; ++k) {
        const double draw = rng.Uniform();  // drawn always, so NaN positions do not shift other values
        if (draw < options.missing_rate * kMissingScale[k]) x[kMissingColumns[k]] = std::numeric_limits<double>::quiet_NaN();
      }
      for (int f = 0; f < kFeatures; ++f) out[f][i] = static_cast<float>(x[f]);
    }
  });

  std::vector<std::string> names = {"label"};
  std::vector<ColumnPtr> columns = {
      Column::Make(regression ? DataType::Float32() : DataType::Int32(), rows, {.values = std::move(label)})};
  for (int f = 0; f < kFeatures; ++f) {
    names.push_back(SyntheticFeatureNames()[f]);
    columns.push_back(Column::Make(DataType::Float32(), rows, {.values = std::move(features[f])}));
  }
  return DataFrame::Make(names, std::move(columns));
}

}  // namespace ember
