#include "ml/feature/feature_util.h"

#include <fmt/format.h>

namespace ember {

HandleInvalid ParseHandleInvalid(std::string_view value) {
  if (value == "error") return HandleInvalid::kError;
  if (value == "skip") return HandleInvalid::kSkip;
  if (value == "keep") return HandleInvalid::kKeep;
  throw InvalidArgument(fmt::format("handleInvalid must be one of 'error', 'skip', 'keep', got '{}'", value));
}

std::vector<double> NumericValues(const Column& c) {
  std::vector<double> out(c.length());
  ForEachNumeric(c, [&](size_t i, double v, bool) { out[i] = v; });
  return out;
}

int32_t FeatureWidth(const DataType& type) { return type.is_vector() ? type.dim : 1; }

SparseVectorBuilder::SparseVectorBuilder(int32_t dim, size_t rows_hint) : dim_(dim) {
  offsets_.reserve(rows_hint + 1);
  offsets_.push_back(0);
}

ColumnPtr SparseVectorBuilder::Finish() { return MakeSparseVectorColumn(dim_, offsets_, indices_, values_); }

DenseVectorBuilder::DenseVectorBuilder(size_t rows_, int32_t dim_)
    : rows(rows_), dim(dim_), buffer(Buffer::Allocate(rows_ * static_cast<size_t>(dim_) * sizeof(float))),
      data(buffer->mutable_as<float>()) {}

ColumnPtr DenseVectorBuilder::Finish() {
  return Column::Make(DataType::DenseVector(dim), rows, {.values = std::move(buffer)});
}

}  // namespace ember
