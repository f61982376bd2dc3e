#include "ml/feature/vector_assembler.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "ml/feature/stage_support.h"

namespace ember {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

[[noreturn]] void ThrowInvalid(const std::string& column, size_t row, bool is_null) {
  throw InvalidArgument(
      fmt::format("VectorAssembler: inputCols column '{}' has a {} at row {}; set handleInvalid "
                  "to 'skip' to drop such rows or 'keep' to write NaN",
                  column, is_null ? "null" : "NaN", row));
}

enum class InputKind { kNumeric, kDense, kSparse };

// One input column and where its values start in the output vector.
struct Input {
  const Column* column;
  const std::string* name;
  int32_t offset;
  int32_t width;
  InputKind kind;
};

void FillDense(const std::vector<Input>& inputs, int32_t dim, bool keep_invalid, size_t begin, size_t end, float* out) {
  const auto d = static_cast<size_t>(dim);
  for (const Input& in : inputs) {
    const Column& c = *in.column;
    const auto w = static_cast<size_t>(in.width);
    if (c.type().is_numeric()) {
      ForEachNumericInRange(c, begin, end, [&](size_t i, double v, bool ok) {
        if (!keep_invalid && (!ok || std::isnan(v))) ThrowInvalid(*in.name, i, !ok);
        out[(i - begin) * d + static_cast<size_t>(in.offset)] = static_cast<float>(v);
      });
      continue;
    }
    const bool sparse = c.type().id == TypeId::kSparseVector;
    for (size_t i = begin; i < end; ++i) {
      float* o = out + (i - begin) * d + static_cast<size_t>(in.offset);
      if (!c.IsValid(i)) {
        if (!keep_invalid) ThrowInvalid(*in.name, i, true);
        std::fill(o, o + w, kNaN);
      } else if (!sparse) {
        const auto row = c.DenseRow(i);
        std::copy(row.begin(), row.end(), o);
      } else {
        std::fill(o, o + w, 0.0f);
        const SparseRow row = c.SparseRowAt(i);
        for (size_t k = 0; k < row.indices.size(); ++k) o[row.indices[k]] = row.values[k];
      }
    }
  }
}

// Entries the sparse fill below writes for rows [begin, end): non-zero
// numerics (a null is NaN, so it counts), stored non-zeros of vector rows,
// and `width` NaNs for a null vector row.
size_t CountSparse(const std::vector<Input>& inputs, size_t begin, size_t end) {
  size_t n = 0;
  for (const Input& in : inputs) {
    const Column& c = *in.column;
    if (c.type().is_numeric()) {
      ForEachNumericInRange(c, begin, end, [&](size_t, double v, bool) { n += v != 0.0; });
      continue;
    }
    const bool sparse = c.type().id == TypeId::kSparseVector;
    if (sparse && !c.has_validity()) {  // one run of stored values
      const auto o = c.buffers().offsets->as<int64_t>();
      const float* v = c.buffers().values->as<float>().data();
      for (auto k = o[begin]; k < o[end]; ++k) n += v[k] != 0.0f;
      continue;
    }
    for (size_t i = begin; i < end; ++i) {
      if (!c.IsValid(i)) {
        n += static_cast<size_t>(in.width);
      } else if (sparse) {
        for (float v : c.SparseRowAt(i).values) n += v != 0.0f;
      } else {
        for (float v : c.DenseRow(i)) n += v != 0.0f;
      }
    }
  }
  return n;
}

void FillSparse(const std::vector<Input>& inputs, bool keep_invalid, size_t begin, size_t end, SparseRowWriter& out) {
  // Numeric inputs are read straight from float64 columns without nulls, the
  // others column by column into a per-block scratch, so the row loop below
  // has no type switch; sparse inputs are read through raw CSR pointers.
  struct Source {
    const double* values;  // numeric: indexed by row - begin
    const uint8_t* valid;  // numeric: nullptr when every row is valid
    const int64_t* offsets;
    const int32_t* indices;
    const float* entries;
  };
  const size_t n = end - begin;
  std::vector<Source> sources(inputs.size());
  std::vector<double> numeric;
  std::vector<uint8_t> valid;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const Column& c = *inputs[k].column;
    Source& src = sources[k];
    if (inputs[k].kind == InputKind::kSparse) {
      src.offsets = c.buffers().offsets->as<int64_t>().data();
      src.indices = c.buffers().indices->as<int32_t>().data();
      src.entries = c.buffers().values->as<float>().data();
    }
    if (inputs[k].kind != InputKind::kNumeric) continue;
    if (c.type().id == TypeId::kFloat64 && !c.has_validity()) {
      src.values = c.values<double>().data() + begin;
      continue;
    }
    if (numeric.empty()) {
      numeric.resize(inputs.size() * n);
      valid.resize(inputs.size() * n);
    }
    ForEachNumericInRange(c, begin, end, [&](size_t i, double v, bool ok) {
      numeric[k * n + (i - begin)] = v;
      valid[k * n + (i - begin)] = ok;
    });
    src.values = numeric.data() + k * n;
    src.valid = valid.data() + k * n;
  }
  for (size_t i = begin; i < end; ++i) {
    for (size_t k = 0; k < inputs.size(); ++k) {
      const Input& in = inputs[k];
      const Source& src = sources[k];
      if (in.kind == InputKind::kNumeric) {
        const double v = src.values[i - begin];
        const bool ok = src.valid == nullptr || src.valid[i - begin] != 0;
        if (!keep_invalid && (!ok || std::isnan(v))) ThrowInvalid(*in.name, i, !ok);
        if (v != 0.0) out.Add(in.offset, static_cast<float>(v));  // NaN != 0: kept
      } else if (!in.column->IsValid(i)) {
        if (!keep_invalid) ThrowInvalid(*in.name, i, true);
        for (int32_t j = 0; j < in.width; ++j) out.Add(in.offset + j, kNaN);
      } else if (in.kind == InputKind::kDense) {
        const auto row = in.column->DenseRow(i);
        for (int32_t j = 0; j < in.width; ++j) {
          if (row[static_cast<size_t>(j)] != 0.0f) out.Add(in.offset + j, row[static_cast<size_t>(j)]);
        }
      } else {
        for (auto e = src.offsets[i]; e < src.offsets[i + 1]; ++e) {
          if (src.entries[e] != 0.0f) out.Add(in.offset + src.indices[e], src.entries[e]);
        }
      }
    }
    out.EndRow();
  }
}

}  // namespace

const ParamTable& VectorAssembler::Params() {
  static const ParamTable table = [] {
    ParamTable p("VectorAssembler");
    p.StringList("inputCols", std::nullopt, "input columns (numeric or vector), assembled in this order");
    p.String("outputCol", std::nullopt, "output vector column (default '<uid>__output')");
    p.String("handleInvalid", "error", "null or NaN inputs: 'error' throws, 'skip' drops the row, 'keep' writes NaN",
             {"error", "skip", "keep"});
    return p;
  }();
  return table;
}

Schema VectorAssembler::TransformSchema(const Schema& input) const {
  const auto& names = params().GetStringList("inputCols");
  if (names.empty()) throw InvalidArgument("VectorAssembler: inputCols must name at least one column");
  int64_t dim = 0;
  bool sparse = false;
  bool unknown = false;  // a vector input of unknown size (schema before fitting): so is the output
  for (const std::string& name : names) {
    const Field& f = RequireColumn(*this, input, "inputCols", name);
    if (f.type.is_numeric()) {
      dim += 1;
    } else if (f.type.is_vector()) {
      dim += f.type.dim;
      unknown = unknown || f.type.dim == 0;
      sparse = sparse || f.type.id == TypeId::kSparseVector;
    } else {
      throw SchemaError(fmt::format("VectorAssembler: inputCols column '{}' must be numeric or a vector, got {}", name,
                                    f.type.ToString()));
    }
  }
  if (dim > std::numeric_limits<int32_t>::max()) {
    throw SchemaError(
        fmt::format("VectorAssembler: the assembled vector would have {} elements, more than 2^31-1", dim));
  }
  const std::string out = OutputColOrDefault(*this);
  RequireAbsent(*this, input, "outputCol", out);
  const auto d = unknown ? 0 : static_cast<int32_t>(dim);
  return AppendField(input, {out, sparse ? DataType::SparseVector(d) : DataType::DenseVector(d), {}});
}

DataFrame VectorAssembler::Transform(const DataFrame& input, const Context& ctx) const {
  const Field out_field = TransformSchema(input.schema()).fields().back();
  const HandleInvalid policy = ParseHandleInvalid(params().GetString("handleInvalid"));
  const auto& names = params().GetStringList("inputCols");

  DataFrame frame = input;
  if (policy == HandleInvalid::kSkip) {
    std::vector<uint8_t> keep(input.num_rows(), 1);
    for (const std::string& name : names) {
      const Column& c = *input.column(name);
      if (c.type().is_numeric()) {
        ForEachNumeric(c, [&](size_t i, double v, bool ok) {
          if (!ok || std::isnan(v)) keep[i] = 0;
        });
      } else if (c.has_validity()) {
        for (size_t i = 0; i < c.length(); ++i) keep[i] = keep[i] && c.IsValid(i);
      }
    }
    const std::vector<int64_t> rows = KeptRows(keep);
    if (rows.size() != input.num_rows()) frame = input.Take(rows);
  }

  std::vector<Input> inputs;
  int32_t offset = 0;
  for (const std::string& name : names) {
    const Column* c = frame.column(name).get();
    const int32_t width = FeatureWidth(c->type());
    const InputKind kind = c->type().is_numeric()                 ? InputKind::kNumeric
                           : c->type().id == TypeId::kDenseVector ? InputKind::kDense
                                                                  : InputKind::kSparse;
    inputs.push_back({c, &name, offset, width, kind});
    offset += width;
  }
  // After 'skip' no invalid value remains, so the fill code never throws.
  const bool keep_invalid = policy != HandleInvalid::kError;
  const size_t rows = frame.num_rows();
  ColumnPtr out;
  if (out_field.type.id == TypeId::kSparseVector) {
    out = BuildCountedSparseVectorColumn(
        ctx, rows, offset, [&](size_t begin, size_t end) { return CountSparse(inputs, begin, end); },
        [&](size_t begin, size_t end, SparseRowWriter& w) { FillSparse(inputs, keep_invalid, begin, end, w); });
  } else {
    out = BuildDenseVectorColumn(ctx, rows, offset, [&](size_t begin, size_t end, float* o) {
      FillDense(inputs, offset, keep_invalid, begin, end, o);
    });
  }
  return frame.WithField({out_field.name, out_field.type, {}}, std::move(out));
}

}  // namespace ember
