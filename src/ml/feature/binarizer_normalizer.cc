#include "ml/feature/binarizer_normalizer.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "ml/feature/stage_support.h"

namespace ember {
namespace {

DataType BinarizedType(const DataType& in, double threshold) {
  if (!in.is_vector()) return DataType::Float64();
  const bool sparse = in.id == TypeId::kSparseVector && threshold >= 0;
  return sparse ? DataType::SparseVector(in.dim) : DataType::DenseVector(in.dim);
}

ColumnPtr BinarizeColumn(const Context& ctx, const Column& c, const DataType& out_type, double t) {
  const auto dim = static_cast<size_t>(c.type().dim);
  if (!c.type().is_vector()) {
    return WithValidityOf(BuildDoubleColumn(ctx, c.length(),
                                            [&](size_t begin, size_t end, double* o) {
                                              ForEachNumericInRange(c, begin, end, [&](size_t i, double v, bool) {
                                                o[i] = v > t ? 1.0 : 0.0;
                                              });
                                            }),
                          c);
  }
  if (out_type.id == TypeId::kSparseVector) {
    return WithValidityOf(BuildSparseVectorColumn(ctx, c.length(), c.type().dim,
                                                  [&](size_t begin, size_t end, SparseVectorBuilder& b) {
                                                    for (size_t i = begin; i < end; ++i) {
                                                      const SparseRow row = c.SparseRowAt(i);
                                                      for (size_t k = 0; k < row.indices.size(); ++k) {
                                                        if (row.values[k] > t) b.Add(row.indices[k], 1.0f);
                                                      }
                                                      b.EndRow();
                                                    }
                                                  }),
                          c);
  }
  // Dense output: implicit zeros of a sparse row binarize like 0.
  const float zero = 0.0 > t ? 1.0f : 0.0f;
  return WithValidityOf(BuildDenseVectorColumn(ctx, c.length(), c.type().dim,
                                               [&](size_t begin, size_t end, float* o) {
                                                 for (size_t i = begin; i < end; ++i) {
                                                   float* y = o + (i - begin) * dim;
                                                   if (c.type().id == TypeId::kDenseVector) {
                                                     const auto x = c.DenseRow(i);
                                                     for (size_t j = 0; j < dim; ++j) y[j] = x[j] > t ? 1.0f : 0.0f;
                                                   } else {
                                                     std::fill(y, y + dim, zero);
                                                     const SparseRow row = c.SparseRowAt(i);
                                                     for (size_t k = 0; k < row.indices.size(); ++k) {
                                                       y[row.indices[k]] = row.values[k] > t ? 1.0f : 0.0f;
                                                     }
                                                   }
                                                 }
                                               }),
                        c);
}

double PNorm(std::span<const float> values, double p) {
  double acc = 0;
  if (p == 1) {
    for (float v : values) acc += std::abs(static_cast<double>(v));
    return acc;
  }
  if (p == 2) {
    for (float v : values) acc += static_cast<double>(v) * v;
    return std::sqrt(acc);
  }
  if (std::isinf(p)) {
    for (float v : values) acc = std::max(acc, std::abs(static_cast<double>(v)));
    return acc;
  }
  for (float v : values) acc += std::pow(std::abs(static_cast<double>(v)), p);
  return std::pow(acc, 1.0 / p);
}

}  // namespace

// ---- Binarizer ----

const ParamTable& Binarizer::Params() {
  static const ParamTable table = [] {
    ParamTable p("Binarizer");
    p.String("inputCol", std::nullopt, "input numeric or vector column");
    p.String("outputCol", std::nullopt, "output column (default '<uid>__output')");
    p.StringList("inputCols", std::nullopt, "input columns, instead of inputCol");
    p.StringList("outputCols", std::nullopt, "output columns, one per input column");
    p.Double("threshold", 0.0, "values above it become 1.0, others 0.0");
    p.DoubleList("thresholds", std::nullopt, "one threshold per inputCols column");
    return p;
  }();
  return table;
}

std::vector<double> Binarizer::Thresholds(size_t columns) const {
  if (!params().HasValue("thresholds")) return std::vector<double>(columns, params().GetDouble("threshold"));
  const auto& t = params().GetDoubleList("thresholds");
  if (params().HasValue("inputCol") || t.size() != columns) {
    throw InvalidArgument(
        fmt::format("Binarizer: thresholds needs inputCols and one entry per column ({} entries "
                    "for {} columns)",
                    t.size(), columns));
  }
  return t;
}

Schema Binarizer::TransformSchema(const Schema& input) const {
  const std::vector<ColumnPair> pairs = ResolveColumnPairs(*this);
  const std::vector<double> thresholds = Thresholds(pairs.size());
  const bool single = params().HasValue("inputCol");
  Schema out = input;
  for (size_t k = 0; k < pairs.size(); ++k) {
    const Field& f = RequireColumn(*this, input, single ? "inputCol" : "inputCols", pairs[k].input);
    if (f.type.is_vector()) {
      RequireVectorColumn(*this, input, single ? "inputCol" : "inputCols", pairs[k].input);
    } else if (!f.type.is_numeric()) {
      throw SchemaError(fmt::format("Binarizer: {} column '{}' must be numeric or a vector, got {}",
                                    single ? "inputCol" : "inputCols", pairs[k].input, f.type.ToString()));
    }
    RequireAbsent(*this, input, single ? "outputCol" : "outputCols", pairs[k].output);
    out = AppendField(out, {pairs[k].output, BinarizedType(f.type, thresholds[k]), {}});
  }
  return out;
}

DataFrame Binarizer::Transform(const DataFrame& input, const Context& ctx) const {
  const Schema out_schema = TransformSchema(input.schema());
  const std::vector<ColumnPair> pairs = ResolveColumnPairs(*this);
  const std::vector<double> thresholds = Thresholds(pairs.size());
  DataFrame frame = input;
  for (size_t k = 0; k < pairs.size(); ++k) {
    const Field& field = out_schema.field(input.num_columns() + k);
    frame = frame.WithField(field, BinarizeColumn(ctx, *input.column(pairs[k].input), field.type, thresholds[k]));
  }
  return frame;
}

// ---- Normalizer ----

const ParamTable& Normalizer::Params() {
  static const ParamTable table = [] {
    ParamTable p("Normalizer");
    p.String("inputCol", std::nullopt, "input vector column");
    p.String("outputCol", std::nullopt, "output vector column (default '<uid>__output')");
    p.Double("p", 2.0, "the norm's p (inf for the max norm)", 1.0);
    return p;
  }();
  return table;
}

Schema Normalizer::TransformSchema(const Schema& input) const {
  const Field& f = RequireVectorColumn(*this, input, "inputCol", params().GetString("inputCol"));
  const std::string out = OutputColOrDefault(*this);
  RequireAbsent(*this, input, "outputCol", out);
  return AppendField(input, {out, f.type, {}});
}

DataFrame Normalizer::Transform(const DataFrame& input, const Context& ctx) const {
  const Field out_field = TransformSchema(input.schema()).fields().back();
  const Column& c = *input.column(params().GetString("inputCol"));
  const double p = params().GetDouble("p");
  const auto dim = static_cast<size_t>(c.type().dim);
  ColumnPtr out;
  if (c.type().id == TypeId::kSparseVector) {
    out = BuildSparseVectorColumn(ctx, c.length(), c.type().dim, [&](size_t begin, size_t end, SparseVectorBuilder& b) {
      for (size_t i = begin; i < end; ++i) {
        const SparseRow row = c.SparseRowAt(i);
        const double norm = PNorm(row.values, p);
        const double divisor = norm != 0 ? norm : 1.0;
        for (size_t k = 0; k < row.indices.size(); ++k) {
          b.Add(row.indices[k], static_cast<float>(row.values[k] / divisor));
        }
        b.EndRow();
      }
    });
  } else {
    out = BuildDenseVectorColumn(ctx, c.length(), c.type().dim, [&](size_t begin, size_t end, float* o) {
      for (size_t i = begin; i < end; ++i) {
        const auto x = c.DenseRow(i);
        const double norm = PNorm(x, p);
        const double divisor = norm != 0 ? norm : 1.0;
        float* y = o + (i - begin) * dim;
        for (size_t j = 0; j < dim; ++j) y[j] = static_cast<float>(x[j] / divisor);
      }
    });
  }
  return input.WithField({out_field.name, out_field.type, {}}, WithValidityOf(out, c));
}

}  // namespace ember
