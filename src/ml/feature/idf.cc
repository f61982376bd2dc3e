#include "ml/feature/idf.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "core/parallel_for.h"
#include "ml/feature/column_blocks.h"
#include "ml/feature/feature_util.h"
#include "ml/feature/stage_checks.h"
#include "ml/pipeline/artifact.h"

namespace ember {

namespace {

void DeclareIdfParams(ParamTable& p) {
  p.String("inputCol", std::nullopt, "term-frequency vector column");
  p.String("outputCol", std::nullopt, "output tf-idf vector column");
  p.Int("minDocFreq", 0, "minimum number of documents a term must be in; rarer terms get idf 0", 0);
}

Schema IdfSchema(const Stage& stage, const Schema& input, const Field** in_field) {
  const Field& in = RequireVectorInput(stage, input, "inputCol", stage.params().GetString("inputCol"));
  if (in_field != nullptr) *in_field = &in;
  RequireAbsent(stage, input, "outputCol", stage.params().GetString("outputCol"));
  return AppendField(input, {stage.params().GetString("outputCol"), in.type, {}});
}

}  // namespace

const ParamTable& IDF::Params() {
  static const ParamTable table = [] {
    ParamTable p("IDF");
    DeclareIdfParams(p);
    return p;
  }();
  return table;
}

const ParamTable& IDFModel::Params() {
  static const ParamTable table = [] {
    ParamTable p("IDFModel");
    DeclareIdfParams(p);
    return p;
  }();
  return table;
}

Schema IDF::TransformSchema(const Schema& input) const { return IdfSchema(*this, input, nullptr); }

ModelPtr IDF::Fit(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const std::string& in_name = params().GetString("inputCol");
  const Column& in = *input.column(in_name);
  const int32_t dim = in.type().dim;
  if (dim <= 0) throw SchemaError(fmt::format("IDF: inputCol column '{}' has no known dimension", in_name));
  const bool sparse = in.type().id == TypeId::kSparseVector;
  // One partial per thread-sized block: the counts are integers, so the sum
  // is the same however the rows are cut.
  const size_t rows = input.num_rows();
  const size_t block = std::max<size_t>(kFeatureBlockRows, (rows + ctx.threads() - 1) / std::max(1, ctx.threads()));
  struct Partial {
    std::vector<int64_t> df;
    int64_t docs = 0;
  };
  std::vector<Partial> partials(NumBlocks(rows, block));
  ParallelFor(ctx, rows, block, [&](const BlockRange& r) {
    Partial& p = partials[r.index];
    p.df.assign(static_cast<size_t>(dim), 0);
    for (size_t row = r.begin; row < r.end; ++row) {
      if (in.IsNull(row)) continue;
      ++p.docs;
      if (sparse) {
        const SparseRow s = in.SparseRowAt(row);
        for (size_t k = 0; k < s.indices.size(); ++k) p.df[static_cast<size_t>(s.indices[k])] += s.values[k] > 0;
      } else {
        const auto d = in.DenseRow(row);
        for (size_t j = 0; j < d.size(); ++j) p.df[j] += d[j] > 0;
      }
    }
  });
  std::vector<int64_t> df(static_cast<size_t>(dim), 0);
  int64_t docs = 0;
  for (const Partial& p : partials) {
    docs += p.docs;
    for (size_t j = 0; j < p.df.size(); ++j) df[j] += p.df[j];
  }
  const int64_t min_df = params().GetInt("minDocFreq");
  std::vector<double> idf(df.size());
  for (size_t j = 0; j < df.size(); ++j) {
    idf[j] = df[j] >= min_df ? std::log((docs + 1.0) / (static_cast<double>(df[j]) + 1.0)) : 0.0;
  }
  ParamMap model_params(IDFModel::Params());
  model_params.SetFromJson(params().ExplicitToJson());
  return std::make_shared<IDFModel>(std::move(model_params), uid(), input.schema(), std::move(idf), std::move(df),
                                    docs);
}

IDFModel::IDFModel(ParamMap params, std::string uid, Schema input_schema, std::vector<double> idf,
                   std::vector<int64_t> doc_freq, int64_t num_docs)
    : Model(std::move(params), std::move(uid), std::move(input_schema)),
      idf_(std::move(idf)),
      doc_freq_(std::move(doc_freq)),
      num_docs_(num_docs) {
  EMBER_CHECK(idf_.size() == doc_freq_.size(), "idf has {} values, docFreq {}", idf_.size(), doc_freq_.size());
}

std::shared_ptr<const Stage> IDFModel::Load(const ArtifactReader& reader, const StageRegistry&) {
  std::vector<double> idf = reader.GetDoubles("idf");
  std::vector<int64_t> df = reader.GetInt64s("docFreq");
  const auto docs = reader.ExtraValue<int64_t>("numDocs");
  if (idf.empty() || idf.size() != df.size()) {
    throw CorruptData(fmt::format("'{}': idf has {} values and docFreq {}; they must be equal and nonzero",
                                  reader.dir(), idf.size(), df.size()));
  }
  return std::make_shared<IDFModel>(reader.Params(Params()), reader.uid(), reader.InputSchema(), std::move(idf),
                                    std::move(df), docs);
}

void IDFModel::SaveData(ArtifactWriter& writer) const {
  writer.PutDoubles("idf", idf_);
  writer.PutInt64s("docFreq", doc_freq_);
  writer.extra()["numDocs"] = num_docs_;
}

Schema IDFModel::TransformSchema(const Schema& input) const {
  const Field* in = nullptr;
  Schema out = IdfSchema(*this, input, &in);
  RequireDimension(*this, *in, static_cast<int64_t>(idf_.size()));
  return out;
}

DataFrame IDFModel::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  const Column& in = *input.column(params().GetString("inputCol"));
  const auto dim = static_cast<int32_t>(idf_.size());
  ColumnPtr out;
  if (in.type().id == TypeId::kSparseVector) {
    out = BuildSparseColumn(ctx, input.num_rows(), dim, [&](const BlockRange& r, SparseBlockWriter& w) {
      for (size_t row = r.begin; row < r.end; ++row) {
        const SparseRow s = in.SparseRowAt(row);
        for (size_t k = 0; in.IsValid(row) && k < s.indices.size(); ++k) {
          w.Add(s.indices[k], static_cast<float>(s.values[k] * idf_[static_cast<size_t>(s.indices[k])]));
        }
        w.EndRow(in.IsValid(row));
      }
    });
  } else {
    DenseVectorBuilder b(input.num_rows(), dim);
    ParallelFor(ctx, input.num_rows(), kFeatureBlockRows, [&](const BlockRange& r) {
      for (size_t row = r.begin; row < r.end; ++row) {
        const auto d = in.DenseRow(row);
        float* o = b.row(row);
        for (size_t j = 0; j < d.size(); ++j) o[j] = static_cast<float>(d[j] * idf_[j]);
      }
    });
    out = b.Finish();
    if (in.null_count() > 0) out = out->WithValidity(Buffer::Copy(in.validity()));
  }
  return input.WithColumn(params().GetString("outputCol"), std::move(out));
}

}  // namespace ember
