// Writing .ember files: one row group per Append, buffers hashed and
// (optionally) zstd-compressed in parallel, then written in order at
// 64-byte-aligned offsets; the footer and tail go last (ember_format.h).
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/parallel_for.h"
#include "io/ember_codec.h"
#include "io/ember_file.h"
#include "io/ember_footer.h"

namespace ember {

struct EmberFileWriter::State {
  State(AtomicFileWriter f, EmberWriteOptions o) : file(std::move(f)), options(o) {}
  AtomicFileWriter file;
  EmberWriteOptions options;
  EmberFooter footer;
  bool committed = false;
  bool failed = false;
};

namespace {

/// One buffer of a batch on its way to the file.
struct PendingBuffer {
  size_t column = 0;
  EmberBufferRole role = EmberBufferRole::kValues;
  size_t width = 1;                 // element width (what split_zstd splits by)
  const std::byte* data = nullptr;  // raw bytes, kept alive by the batch or `owned`
  size_t size = 0;
  BufferPtr owned;                  // rebased offsets, when the column was a slice
  std::vector<std::byte> compressed;
  EmberBufferRef ref;
};

/// Offsets rebased to start at 0 (a sliced column's offsets point into a
/// larger shared buffer); the same buffer when they already do.
BufferPtr RebasedOffsets(const Column& column) {
  const BufferPtr& offsets = column.buffers().offsets;
  const auto o = offsets->as<int64_t>();
  if (o[0] == 0) return offsets;
  auto out = Buffer::Allocate(offsets->size());
  int64_t* dst = out->mutable_as<int64_t>();
  for (size_t i = 0; i < o.size(); ++i) dst[i] = o[i] - o[0];
  return out;
}

/// The buffers of column `index` as the file stores them: only the bytes its
/// rows use, offsets starting at 0.
void CollectBuffers(size_t index, const Column& column, std::vector<PendingBuffer>* out) {
  auto add = [&](EmberBufferRole role, const std::byte* data, size_t size, BufferPtr owned = nullptr) {
    PendingBuffer p;
    p.column = index;
    p.role = role;
    p.width = EmberElementWidth(column.type(), role);
    p.data = data;
    p.size = size;
    p.owned = std::move(owned);
    out->push_back(std::move(p));
  };
  const ColumnBuffers& b = column.buffers();
  const DataType& type = column.type();
  if (type.id == TypeId::kString || type.id == TypeId::kSparseVector) {
    const auto o = b.offsets->as<int64_t>();
    const auto begin = static_cast<size_t>(o[0]);
    const auto end = static_cast<size_t>(o[column.length()]);
    BufferPtr offsets = RebasedOffsets(column);
    const size_t width = type.id == TypeId::kString ? 1 : sizeof(float);
    add(EmberBufferRole::kValues, b.values->data() + begin * width, (end - begin) * width);
    add(EmberBufferRole::kOffsets, offsets->data(), offsets->size(), offsets);
    if (type.id == TypeId::kSparseVector) {
      add(EmberBufferRole::kIndices, b.indices->data() + begin * sizeof(int32_t), (end - begin) * sizeof(int32_t));
    }
  } else {
    add(EmberBufferRole::kValues, b.values->data(), b.values->size());
  }
  if (b.validity) add(EmberBufferRole::kValidity, b.validity->data(), b.validity->size());
}

/// Compresses (when asked and when it pays) and hashes one buffer.
void Encode(const EmberWriteOptions& options, PendingBuffer* p) {
  p->ref.raw_size = p->size;
  p->ref.codec = EmberCodec::kNone;
  if (options.compression == Compression::kZstd && p->size > 0) {
    const EmberCodec codec = p->width > 1 ? EmberCodec::kSplitZstd : EmberCodec::kZstd;
    std::vector<std::byte> out = EmberCompress({p->data, p->size}, codec, p->width, options.zstd_level);
    if (out.size() < p->size) {
      p->compressed = std::move(out);
      p->ref.codec = codec;
    }
  }
  const bool zstd = p->ref.codec != EmberCodec::kNone;
  p->ref.stored_size = zstd ? p->compressed.size() : p->size;
  p->ref.xxhash64 = Hash64(zstd ? p->compressed.data() : p->data, p->ref.stored_size);
}

std::string DescribeSchemaDifference(const Schema& want, const Schema& got) {
  if (want.size() == got.size()) {
    for (size_t i = 0; i < want.size(); ++i) {
      const Field& a = want.field(i);
      const Field& b = got.field(i);
      if (a.name == b.name && a.type == b.type && a.metadata != b.metadata) {
        return fmt::format("the field metadata of column '{}' differs", a.name);
      }
    }
  }
  return fmt::format("the file has ({}) but the batch has ({})", want.ToString(), got.ToString());
}

}  // namespace

EmberFileWriter::EmberFileWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
EmberFileWriter::EmberFileWriter(EmberFileWriter&&) noexcept = default;
EmberFileWriter& EmberFileWriter::operator=(EmberFileWriter&&) noexcept = default;
EmberFileWriter::~EmberFileWriter() = default;

EmberFileWriter EmberFileWriter::Open(std::string path, Schema schema, EmberWriteOptions options) {
  if (options.compression == Compression::kZstd && (options.zstd_level < 1 || options.zstd_level > 22)) {
    throw InvalidArgument(fmt::format("cannot write '{}': zstd_level is {}; valid levels are 1 to 22", path,
                                      options.zstd_level));
  }
  for (const Field& f : schema.fields()) {
    if (f.type.id == TypeId::kDenseVector && f.type.dim <= 0) {
      throw InvalidArgument(fmt::format("cannot write '{}': dense vector column '{}' needs a dimension > 0", path,
                                        f.name));
    }
  }
  AtomicFileWriter file = AtomicFileWriter::Open(std::move(path));
  const auto header = EncodeEmberHeader();
  file.Write(header.data(), header.size());
  auto state = std::make_unique<State>(std::move(file), options);
  state->footer.schema = std::move(schema);
  return EmberFileWriter(std::move(state));
}

void EmberFileWriter::Append(const DataFrame& batch, const Context& ctx) {
  State& s = *state_;
  EMBER_CHECK(!s.committed, "Append after Commit of {}", s.file.path());
  if (s.failed) throw IoError(fmt::format("cannot append to '{}': an earlier write to it failed", s.file.path()));
  if (!(batch.schema() == s.footer.schema)) {
    throw SchemaError(fmt::format("cannot append to '{}': the batch's schema differs from the file's: {}",
                                  s.file.path(), DescribeSchemaDifference(s.footer.schema, batch.schema())));
  }
  if (batch.num_rows() == 0) return;

  std::vector<PendingBuffer> pending;
  for (size_t c = 0; c < batch.num_columns(); ++c) CollectBuffers(c, *batch.column(c), &pending);
  ParallelFor(ctx, pending.size(), 1, [&](const BlockRange& r) { Encode(s.options, &pending[r.begin]); });

  EmberRowGroup group;
  group.num_rows = batch.num_rows();
  group.columns.resize(batch.num_columns());
  try {
    for (PendingBuffer& p : pending) {
      s.file.PadTo(kEmberAlignment);
      p.ref.offset = s.file.offset();
      const bool zstd = p.ref.codec != EmberCodec::kNone;
      s.file.Write(zstd ? p.compressed.data() : p.data, p.ref.stored_size);
      group.columns[p.column][p.role] = p.ref;
      p.compressed = {};  // release as we go: memory stays bounded by the batch
    }
  } catch (...) {
    s.failed = true;
    throw;
  }
  s.footer.num_rows += group.num_rows;
  s.footer.row_groups.push_back(std::move(group));
}

void EmberFileWriter::Commit() {
  State& s = *state_;
  EMBER_CHECK(!s.committed, "double Commit of {}", s.file.path());
  if (s.failed) throw IoError(fmt::format("cannot commit '{}': an earlier write to it failed", s.file.path()));
  try {
    const std::string footer = SerializeEmberFooter(s.footer, s.file.path());
    s.file.Write(footer);
    const auto tail = EncodeEmberTail(footer.size(), Hash64(footer));
    s.file.Write(tail.data(), tail.size());
    s.file.Commit();
  } catch (...) {
    s.failed = true;
    throw;
  }
  s.committed = true;
}

uint64_t EmberFileWriter::num_rows() const { return state_->footer.num_rows; }
size_t EmberFileWriter::row_groups() const { return state_->footer.row_groups.size(); }

void WriteEmber(const DataFrame& frame, const std::string& path, const EmberWriteOptions& options,
                const Context& ctx) {
  EmberFileWriter writer = EmberFileWriter::Open(path, frame.schema(), options);
  writer.Append(frame, ctx);
  writer.Commit();
}

}  // namespace ember
