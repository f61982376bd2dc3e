#include "ml/feature/scalers.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/parallel_for.h"
#include "ml/feature/stage_support.h"
#include "ml/pipeline/artifact.h"

namespace ember {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

ParamTable VectorIoTable(const char* name) {
  ParamTable p(name);
  p.String("inputCol", std::nullopt, "input vector column");
  p.String("outputCol", std::nullopt, "output vector column (default '<uid>__output')");
  return p;
}

// Folds `add(state, row)` over the valid rows of a vector column block by
// block, then merges the block states in block order (deterministic for
// any thread count). Throws when no row is valid.
template <class State, class Add, class Merge>
State ReduceVectorRows(const Stage& stage, const Context& ctx, const Column& c, const State& init, Add add,
                       Merge merge) {
  struct Counted {
    State state;
    size_t rows = 0;
  };
  const auto dim = static_cast<size_t>(c.type().dim);
  Counted total = ParallelReduce(
      ctx, c.length(), kDefaultBlockRows, Counted{init, 0},
      [&](const BlockRange& r) {
        Counted part{init, 0};
        std::vector<float> scratch(dim);
        ForEachVectorRow(c, r.begin, r.end, scratch, [&](size_t, std::span<const float> row) {
          add(part.state, row);
          ++part.rows;
        });
        return part;
      },
      [&](Counted a, Counted b) {
        if (b.rows == 0) return a;
        if (a.rows == 0) return b;
        merge(a.state, b.state);
        a.rows += b.rows;
        return a;
      });
  if (total.rows == 0) {
    throw InvalidArgument(fmt::format("{}: column '{}' has no non-null rows to fit on", stage.class_name(),
                                      stage.params().GetString("inputCol")));
  }
  return total.state;
}

// Reads equal-length double arrays of a saved model.
std::vector<std::vector<double>> ReadArrays(const ArtifactReader& reader, std::initializer_list<const char*> names) {
  std::vector<std::vector<double>> out;
  for (const char* name : names) {
    out.push_back(reader.GetDoubles(name));
    if (out.back().size() != out.front().size() || out.front().empty()) {
      throw CorruptData(fmt::format("{}: array '{}' has {} values, expected {} (> 0)", reader.dir(), name,
                                    out.back().size(), out.front().size()));
    }
  }
  return out;
}

struct Moments {
  int64_t n = 0;
  std::vector<double> mean;
  std::vector<double> m2;
};

// Chan's pairwise update: folds b into a.
void MergeMoments(Moments& a, const Moments& b) {
  const auto na = static_cast<double>(a.n);
  const auto nb = static_cast<double>(b.n);
  const double n = na + nb;
  for (size_t j = 0; j < a.mean.size(); ++j) {
    const double delta = b.mean[j] - a.mean[j];
    a.mean[j] += delta * nb / n;
    a.m2[j] += b.m2[j] + delta * delta * na * nb / n;
  }
  a.n += b.n;
}

// Welford per block, merged with Chan's pairwise update: stable for
// features whose mean is large against their spread.
Moments DenseMoments(const Stage& stage, const Context& ctx, const Column& c) {
  const auto dim = static_cast<size_t>(c.type().dim);
  return ReduceVectorRows(
      stage, ctx, c, Moments{0, std::vector<double>(dim, 0.0), std::vector<double>(dim, 0.0)},
      [&](Moments& s, std::span<const float> row) {
        ++s.n;
        const double inv = 1.0 / static_cast<double>(s.n);
        for (size_t j = 0; j < dim; ++j) {
          const double d = row[j] - s.mean[j];
          s.mean[j] += d * inv;
          s.m2[j] += d * (row[j] - s.mean[j]);
        }
      },
      MergeMoments);
}

// Sparse rows touch only their stored entries: per block, Welford over each
// feature's stored values, then the block's implicit zeros are merged in
// as one group (count rows - stored, mean 0, M2 0) with Chan's update, and
// blocks are merged as in DenseMoments. Work is O(stored entries + dim per
// block) instead of O(rows x dim).
Moments SparseMoments(const Stage& stage, const Context& ctx, const Column& c) {
  const auto dim = static_cast<size_t>(c.type().dim);
  struct Counted {
    Moments m;
    size_t rows = 0;
  };
  const Moments init{0, std::vector<double>(dim, 0.0), std::vector<double>(dim, 0.0)};
  Counted total = ParallelReduce(
      ctx, c.length(), kDefaultBlockRows, Counted{init, 0},
      [&](const BlockRange& r) {
        Counted part{init, 0};
        std::vector<int64_t> stored(dim, 0);
        double* mean = part.m.mean.data();
        double* m2 = part.m.m2.data();
        for (size_t i = r.begin; i < r.end; ++i) {
          if (!c.IsValid(i)) continue;
          ++part.rows;
          const SparseRow row = c.SparseRowAt(i);
          for (size_t k = 0; k < row.indices.size(); ++k) {
            const auto j = static_cast<size_t>(row.indices[k]);
            const double v = row.values[k];
            const double d = v - mean[j];
            mean[j] += d / static_cast<double>(++stored[j]);
            m2[j] += d * (v - mean[j]);
          }
        }
        const auto n = static_cast<double>(part.rows);
        for (size_t j = 0; j < dim && n > 0; ++j) {
          // Merge the (rows - stored) zeros: delta = 0 - mean.
          const auto nz = static_cast<double>(stored[j]);
          const double zeros = n - nz;
          m2[j] += mean[j] * mean[j] * nz * zeros / n;
          mean[j] = mean[j] * nz / n;
        }
        part.m.n = static_cast<int64_t>(part.rows);
        return part;
      },
      [&](Counted a, Counted b) {
        if (b.rows == 0) return a;
        if (a.rows == 0) return b;
        MergeMoments(a.m, b.m);
        a.rows += b.rows;
        return a;
      });
  if (total.rows == 0) {
    throw InvalidArgument(fmt::format("{}: column '{}' has no non-null rows to fit on", stage.class_name(),
                                      stage.params().GetString("inputCol")));
  }
  return total.m;
}

AffineMap StandardAffine(const ParamMap& p, const std::vector<double>& mean, const std::vector<double>& sd) {
  const bool with_mean = p.GetBool("withMean");
  const bool with_std = p.GetBool("withStd");
  AffineMap a{.shift = std::vector<double>(mean.size(), 0.0),
              .scale = std::vector<double>(mean.size(), 1.0),
              .offset = std::vector<double>(mean.size(), 0.0),
              .keeps_zero = !with_mean};
  for (size_t j = 0; j < mean.size(); ++j) {
    if (with_mean) a.shift[j] = mean[j];
    if (with_std) a.scale[j] = sd[j] != 0 ? 1.0 / sd[j] : 0.0;
  }
  return a;
}

AffineMap MinMaxAffine(const ParamMap& p, const std::vector<double>& lo, const std::vector<double>& hi) {
  const double min = p.GetDouble("min");
  const double max = p.GetDouble("max");
  AffineMap a{.shift = lo, .scale = std::vector<double>(lo.size()), .offset = std::vector<double>(lo.size(), min)};
  for (size_t j = 0; j < lo.size(); ++j) {
    const double range = hi[j] - lo[j];
    if (range != 0) {
      a.scale[j] = (max - min) / range;
    } else {
      a.scale[j] = 0.0;
      a.offset[j] = 0.5 * (max + min);
    }
  }
  return a;
}

AffineMap MaxAbsAffine(const std::vector<double>& max_abs) {
  AffineMap a{.shift = std::vector<double>(max_abs.size(), 0.0),
              .scale = std::vector<double>(max_abs.size()),
              .offset = std::vector<double>(max_abs.size(), 0.0),
              .keeps_zero = true};
  for (size_t j = 0; j < max_abs.size(); ++j) a.scale[j] = max_abs[j] != 0 ? 1.0 / max_abs[j] : 1.0;
  return a;
}

}  // namespace

// ---- AffineVectorModel ----

AffineVectorModel::AffineVectorModel(ParamMap params, std::string uid, Schema input_schema, AffineMap affine)
    : Model(std::move(params), std::move(uid), std::move(input_schema)), affine_(std::move(affine)) {}

Schema VectorScalerSchema(const Stage& stage, const Schema& input, bool keeps_zero) {
  const Field& in = RequireVectorColumn(stage, input, "inputCol", stage.params().GetString("inputCol"));
  const std::string out = OutputColOrDefault(stage);
  RequireAbsent(stage, input, "outputCol", out);
  const bool sparse = keeps_zero && in.type.id == TypeId::kSparseVector;
  return AppendField(input,
                     {out, sparse ? DataType::SparseVector(in.type.dim) : DataType::DenseVector(in.type.dim), {}});
}

Schema AffineVectorModel::TransformSchema(const Schema& input) const {
  Schema out = VectorScalerSchema(*this, input, affine_.keeps_zero);
  const Field& in = out.field(input.IndexOf(params().GetString("inputCol")));
  if (in.type.dim != 0 && static_cast<size_t>(in.type.dim) != affine_.scale.size()) {  // 0: not yet known
    throw SchemaError(fmt::format("{}: inputCol column '{}' has size {}, the model was fitted on size {}", class_name(),
                                  in.name, in.type.dim, affine_.scale.size()));
  }
  return out;
}

DataFrame AffineVectorModel::Transform(const DataFrame& input, const Context& ctx) const {
  const Field out_field = TransformSchema(input.schema()).fields().back();
  const Column& c = *input.column(params().GetString("inputCol"));
  const double* shift = affine_.shift.data();
  const double* scale = affine_.scale.data();
  const double* offset = affine_.offset.data();
  const int32_t dim = c.type().dim;
  ColumnPtr out;
  const std::span<const int64_t> in_offsets =
      c.type().id == TypeId::kSparseVector ? c.buffers().offsets->as<int64_t>() : std::span<const int64_t>();
  if (out_field.type.id == TypeId::kSparseVector && in_offsets.front() == 0 &&
      static_cast<size_t>(in_offsets.back()) == c.buffers().indices->size() / sizeof(int32_t)) {
    // The map keeps zeros, so the output stores exactly the input's entries:
    // it shares the input's (validated) offsets and indices and only gets
    // new values, computed over the same row blocks.
    const float* x = c.buffers().values->as<float>().data();
    const int32_t* idx = c.buffers().indices->as<int32_t>().data();
    auto values = Buffer::Allocate(c.buffers().values->size());
    float* y = values->mutable_as<float>();
    ParallelFor(ctx, c.length(), kDefaultBlockRows, [&](const BlockRange& r) {
      for (auto k = in_offsets[r.begin]; k < in_offsets[r.end]; ++k) {
        const auto j = static_cast<size_t>(idx[k]);
        y[k] = static_cast<float>((x[k] - shift[j]) * scale[j] + offset[j]);
      }
    });
    ColumnBuffers buffers = c.buffers();
    buffers.values = std::move(values);
    out = std::make_shared<const Column>(c.type(), c.length(), std::move(buffers));
  } else if (out_field.type.id == TypeId::kSparseVector) {
    out = BuildSparseVectorColumn(ctx, c.length(), dim, [&](size_t begin, size_t end, SparseVectorBuilder& b) {
      for (size_t i = begin; i < end; ++i) {
        const SparseRow row = c.SparseRowAt(i);
        for (size_t k = 0; k < row.indices.size(); ++k) {
          const auto j = static_cast<size_t>(row.indices[k]);
          b.Add(row.indices[k], static_cast<float>((row.values[k] - shift[j]) * scale[j] + offset[j]));
        }
        b.EndRow();
      }
    });
  } else {
    const auto d = static_cast<size_t>(dim);
    out = BuildDenseVectorColumn(ctx, c.length(), dim, [&](size_t begin, size_t end, float* o) {
      std::vector<float> scratch(d);
      for (size_t i = begin; i < end; ++i) {
        float* y = o + (i - begin) * d;
        std::span<const float> x = c.type().id == TypeId::kDenseVector ? c.DenseRow(i) : std::span<const float>();
        if (c.type().id == TypeId::kSparseVector) {
          std::fill(scratch.begin(), scratch.end(), 0.0f);
          const SparseRow row = c.SparseRowAt(i);
          for (size_t k = 0; k < row.indices.size(); ++k) scratch[static_cast<size_t>(row.indices[k])] = row.values[k];
          x = scratch;
        }
        for (size_t j = 0; j < d; ++j) y[j] = static_cast<float>((x[j] - shift[j]) * scale[j] + offset[j]);
      }
    });
  }
  return input.WithField({out_field.name, out_field.type, {}}, WithValidityOf(out, c));
}

// ---- StandardScaler ----

const ParamTable& StandardScaler::Params() {
  static const ParamTable table = [] {
    ParamTable p = VectorIoTable("StandardScaler");
    p.Bool("withMean", false, "center each feature on its mean (makes sparse output dense)");
    p.Bool("withStd", true, "scale each feature to unit sample standard deviation");
    return p;
  }();
  return table;
}

const ParamTable& StandardScalerModel::Params() {
  static const ParamTable table = [] {
    ParamTable p = VectorIoTable("StandardScalerModel");
    p.Bool("withMean", false, "center each feature on its mean (makes sparse output dense)");
    p.Bool("withStd", true, "scale each feature to unit sample standard deviation");
    return p;
  }();
  return table;
}

Schema StandardScaler::TransformSchema(const Schema& input) const {
  return VectorScalerSchema(*this, input, !params().GetBool("withMean"));
}

ModelPtr StandardScaler::Fit(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& c = *input.column(params().GetString("inputCol"));
  const auto dim = static_cast<size_t>(c.type().dim);
  const Moments m = c.type().id == TypeId::kSparseVector ? SparseMoments(*this, ctx, c) : DenseMoments(*this, ctx, c);
  std::vector<double> sd(dim, 0.0);
  if (m.n > 1) {
    for (size_t j = 0; j < dim; ++j) sd[j] = std::sqrt(m.m2[j] / static_cast<double>(m.n - 1));
  }
  return std::make_shared<StandardScalerModel>(ModelParams(StandardScalerModel::Params(), params()), uid(),
                                               input.schema(), m.mean, std::move(sd));
}

StandardScalerModel::StandardScalerModel(ParamMap params, std::string uid, Schema input_schema,
                                         std::vector<double> mean, std::vector<double> std_dev)
    : AffineVectorModel(params, std::move(uid), std::move(input_schema), StandardAffine(params, mean, std_dev)),
      mean_(std::move(mean)),
      std_dev_(std::move(std_dev)) {}

void StandardScalerModel::SaveData(ArtifactWriter& writer) const {
  writer.PutDoubles("mean", mean_);
  writer.PutDoubles("std", std_dev_);
}

std::shared_ptr<const Stage> StandardScalerModel::Load(const ArtifactReader& reader, const StageRegistry&) {
  auto arrays = ReadArrays(reader, {"mean", "std"});
  return std::make_shared<StandardScalerModel>(reader.Params(Params()), reader.uid(), reader.InputSchema(),
                                               std::move(arrays[0]), std::move(arrays[1]));
}

// ---- MinMaxScaler ----

namespace {
ParamTable MinMaxTable(const char* name) {
  ParamTable p = VectorIoTable(name);
  p.Double("min", 0.0, "lower bound of the output range");
  p.Double("max", 1.0, "upper bound of the output range");
  return p;
}

void CheckMinMax(const Stage& stage) {
  const double min = stage.params().GetDouble("min");
  const double max = stage.params().GetDouble("max");
  if (!(min < max)) {
    throw InvalidArgument(fmt::format("{}: min ({}) must be less than max ({})", stage.class_name(), min, max));
  }
}
}  // namespace

const ParamTable& MinMaxScaler::Params() {
  static const ParamTable table = MinMaxTable("MinMaxScaler");
  return table;
}

const ParamTable& MinMaxScalerModel::Params() {
  static const ParamTable table = MinMaxTable("MinMaxScalerModel");
  return table;
}

Schema MinMaxScaler::TransformSchema(const Schema& input) const {
  CheckMinMax(*this);
  return VectorScalerSchema(*this, input, false);
}

ModelPtr MinMaxScaler::Fit(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& c = *input.column(params().GetString("inputCol"));
  const auto dim = static_cast<size_t>(c.type().dim);
  using Range = std::pair<std::vector<double>, std::vector<double>>;
  Range r = ReduceVectorRows(
      *this, ctx, c, Range{std::vector<double>(dim, kInf), std::vector<double>(dim, -kInf)},
      [&](Range& s, std::span<const float> row) {
        for (size_t j = 0; j < dim; ++j) {  // comparisons skip NaN
          if (row[j] < s.first[j]) s.first[j] = row[j];
          if (row[j] > s.second[j]) s.second[j] = row[j];
        }
      },
      [&](Range& a, const Range& b) {
        for (size_t j = 0; j < dim; ++j) {
          a.first[j] = std::min(a.first[j], b.first[j]);
          a.second[j] = std::max(a.second[j], b.second[j]);
        }
      });
  return std::make_shared<MinMaxScalerModel>(ModelParams(MinMaxScalerModel::Params(), params()), uid(), input.schema(),
                                             std::move(r.first), std::move(r.second));
}

MinMaxScalerModel::MinMaxScalerModel(ParamMap params, std::string uid, Schema input_schema,
                                     std::vector<double> original_min, std::vector<double> original_max)
    : AffineVectorModel(params, std::move(uid), std::move(input_schema),
                        MinMaxAffine(params, original_min, original_max)),
      original_min_(std::move(original_min)),
      original_max_(std::move(original_max)) {}

void MinMaxScalerModel::SaveData(ArtifactWriter& writer) const {
  writer.PutDoubles("originalMin", original_min_);
  writer.PutDoubles("originalMax", original_max_);
}

std::shared_ptr<const Stage> MinMaxScalerModel::Load(const ArtifactReader& reader, const StageRegistry&) {
  auto arrays = ReadArrays(reader, {"originalMin", "originalMax"});
  return std::make_shared<MinMaxScalerModel>(reader.Params(Params()), reader.uid(), reader.InputSchema(),
                                             std::move(arrays[0]), std::move(arrays[1]));
}

// ---- MaxAbsScaler ----

const ParamTable& MaxAbsScaler::Params() {
  static const ParamTable table = VectorIoTable("MaxAbsScaler");
  return table;
}

const ParamTable& MaxAbsScalerModel::Params() {
  static const ParamTable table = VectorIoTable("MaxAbsScalerModel");
  return table;
}

Schema MaxAbsScaler::TransformSchema(const Schema& input) const { return VectorScalerSchema(*this, input, true); }

ModelPtr MaxAbsScaler::Fit(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& c = *input.column(params().GetString("inputCol"));
  const auto dim = static_cast<size_t>(c.type().dim);
  std::vector<double> max_abs = ReduceVectorRows(
      *this, ctx, c, std::vector<double>(dim, 0.0),
      [&](std::vector<double>& s, std::span<const float> row) {
        for (size_t j = 0; j < dim; ++j) {
          const double a = std::abs(static_cast<double>(row[j]));
          if (a > s[j]) s[j] = a;
        }
      },
      [&](std::vector<double>& a, const std::vector<double>& b) {
        for (size_t j = 0; j < dim; ++j) a[j] = std::max(a[j], b[j]);
      });
  return std::make_shared<MaxAbsScalerModel>(ModelParams(MaxAbsScalerModel::Params(), params()), uid(), input.schema(),
                                             std::move(max_abs));
}

MaxAbsScalerModel::MaxAbsScalerModel(ParamMap params, std::string uid, Schema input_schema, std::vector<double> max_abs)
    : AffineVectorModel(std::move(params), std::move(uid), std::move(input_schema), MaxAbsAffine(max_abs)),
      max_abs_(std::move(max_abs)) {}

void MaxAbsScalerModel::SaveData(ArtifactWriter& writer) const { writer.PutDoubles("maxAbs", max_abs_); }

std::shared_ptr<const Stage> MaxAbsScalerModel::Load(const ArtifactReader& reader, const StageRegistry&) {
  auto arrays = ReadArrays(reader, {"maxAbs"});
  return std::make_shared<MaxAbsScalerModel>(reader.Params(Params()), reader.uid(), reader.InputSchema(),
                                             std::move(arrays[0]));
}

}  // namespace ember
