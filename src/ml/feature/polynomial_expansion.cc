#include "ml/feature/polynomial_expansion.h"

#include <algorithm>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "ml/feature/column_blocks.h"
#include "ml/feature/feature_util.h"
#include "ml/feature/stage_checks.h"

namespace ember {

namespace {

// C(n + d, d) for every n <= max_n, d <= max_d (including the constant term),
// saturated at int64 max.
class PolySizes {
 public:
  PolySizes(int64_t max_n, int64_t max_d)
      : cols_(static_cast<size_t>(max_d) + 1), table_((static_cast<size_t>(max_n) + 1) * cols_) {
    for (size_t n = 0; n <= static_cast<size_t>(max_n); ++n) {
      for (size_t d = 0; d < cols_; ++d) {
        // C(n + d, d) = C(n + d - 1, d - 1) + C(n + d - 1, d).
        int64_t v = 1;
        if (n > 0 && d > 0) {
          const int64_t a = at(n, d - 1);
          const int64_t b = at(n - 1, d);
          v = a > std::numeric_limits<int64_t>::max() - b ? std::numeric_limits<int64_t>::max() : a + b;
        }
        table_[n * cols_ + d] = v;
      }
    }
  }
  int64_t at(size_t n, size_t d) const { return table_[n * cols_ + d]; }

 private:
  size_t cols_;
  std::vector<int64_t> table_;
};

// Spark's expandDense: writes the terms of values[0..last] up to `degree`,
// each times `multiplier`, from out[cur] on; returns the index after them.
// out[-1] (the constant term) is skipped.
int64_t Expand(const double* values, int64_t last, int64_t degree, double multiplier, double* out, int64_t cur,
               const PolySizes& sizes) {
  if (multiplier == 0.0) {
    // Every term below is zero; out is already zeroed.
  } else if (degree == 0 || last < 0) {
    if (cur >= 0) out[cur] = multiplier;
  } else {
    const double v = values[last];
    double alpha = multiplier;
    int64_t start = cur;
    for (int64_t i = 0; i <= degree && alpha != 0.0; ++i) {
      start = Expand(values, last - 1, degree - i, alpha, out, start, sizes);
      alpha *= v;
    }
  }
  return cur + sizes.at(static_cast<size_t>(last + 1), static_cast<size_t>(degree));
}

}  // namespace

int32_t PolynomialSize(int64_t n, int64_t degree) {
  const PolySizes sizes(n, degree);
  const int64_t total = sizes.at(static_cast<size_t>(n), static_cast<size_t>(degree));
  if (total - 1 > std::numeric_limits<int32_t>::max()) {
    throw InvalidArgument(fmt::format("PolynomialExpansion: {} features to degree {} give more than 2^31 - 1 terms",
                                      n, degree));
  }
  return static_cast<int32_t>(total - 1);
}

const ParamTable& PolynomialExpansion::Params() {
  static const ParamTable table = [] {
    ParamTable p("PolynomialExpansion");
    p.String("inputCol", std::nullopt, "vector column to expand");
    p.String("outputCol", std::nullopt, "output vector column");
    p.Int("degree", 2, "highest total degree of the terms", 1);
    return p;
  }();
  return table;
}

Schema PolynomialExpansion::TransformSchema(const Schema& input) const {
  const Field& in = RequireVectorInput(*this, input, "inputCol", params().GetString("inputCol"));
  RequireAbsent(*this, input, "outputCol", params().GetString("outputCol"));
  const int32_t dim = in.type.dim == 0 ? 0 : PolynomialSize(in.type.dim, params().GetInt("degree"));
  const DataType type = in.type.id == TypeId::kDenseVector ? DataType::DenseVector(dim) : DataType::SparseVector(dim);
  return AppendField(input, {params().GetString("outputCol"), type, {}});
}

DataFrame PolynomialExpansion::Transform(const DataFrame& input, const Context& ctx) const {
  const Schema schema = TransformSchema(input.schema());
  const Column& in = *input.column(params().GetString("inputCol"));
  const int64_t n = in.type().dim;
  const int64_t degree = params().GetInt("degree");
  const int32_t out_dim = schema.fields().back().type.dim;
  const PolySizes sizes(n, degree);
  auto expand_row = [&](size_t row, std::vector<double>& x, std::vector<double>& terms) {
    std::fill(x.begin(), x.end(), 0.0);
    if (in.type().id == TypeId::kDenseVector) {
      const auto d = in.DenseRow(row);
      std::copy(d.begin(), d.end(), x.begin());
    } else {
      const SparseRow s = in.SparseRowAt(row);
      for (size_t k = 0; k < s.indices.size(); ++k) x[static_cast<size_t>(s.indices[k])] = s.values[k];
    }
    std::fill(terms.begin(), terms.end(), 0.0);
    Expand(x.data(), n - 1, degree, 1.0, terms.data(), -1, sizes);
  };
  ColumnPtr out;
  if (in.type().id == TypeId::kDenseVector) {
    DenseVectorBuilder b(input.num_rows(), out_dim);
    ParallelFor(ctx, input.num_rows(), kFeatureBlockRows, [&](const BlockRange& r) {
      std::vector<double> x(static_cast<size_t>(n)), terms(static_cast<size_t>(out_dim));
      for (size_t row = r.begin; row < r.end; ++row) {
        float* o = b.row(row);
        if (in.IsNull(row)) {
          std::fill_n(o, out_dim, 0.0f);
          continue;
        }
        expand_row(row, x, terms);
        for (int32_t j = 0; j < out_dim; ++j) o[j] = static_cast<float>(terms[static_cast<size_t>(j)]);
      }
    });
    out = b.Finish();
    if (in.null_count() > 0) out = out->WithValidity(Buffer::Copy(in.validity()));
  } else {
    out = BuildSparseColumn(ctx, input.num_rows(), out_dim, [&](const BlockRange& r, SparseBlockWriter& w) {
      std::vector<double> x(static_cast<size_t>(n)), terms(static_cast<size_t>(out_dim));
      for (size_t row = r.begin; row < r.end; ++row) {
        if (in.IsNull(row)) {
          w.EndRow(false);
          continue;
        }
        expand_row(row, x, terms);
        for (int32_t j = 0; j < out_dim; ++j) {
          if (terms[static_cast<size_t>(j)] != 0.0) w.Add(j, static_cast<float>(terms[static_cast<size_t>(j)]));
        }
        w.EndRow();
      }
    });
  }
  return input.WithColumn(params().GetString("outputCol"), std::move(out));
}

}  // namespace ember
