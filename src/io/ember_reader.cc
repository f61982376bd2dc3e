// Reading .ember files: the footer is checked first (ember_footer.cc), then
// each column is built in parallel: its buffers' checksums verified, and
// either viewed in place (one row group, stored raw) or assembled into one
// buffer per slot, decompressing each row group's part straight into place.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "core/error.h"
#include "core/hash.h"
#include "core/mapped_file.h"
#include "core/parallel_for.h"
#include "io/ember_codec.h"
#include "io/ember_file.h"
#include "io/ember_footer.h"

namespace ember {

namespace {

/// The whole file in memory, and what keeps that memory alive.
struct FileBytes {
  const std::byte* data = nullptr;
  size_t size = 0;
  std::shared_ptr<const void> owner;
  std::string_view name;
};

/// Builds one column from its row groups. One per column task; owns the
/// task's decoder (zstd context and scratch).
class ColumnBuilder {
 public:
  ColumnBuilder(const FileBytes& file, const EmberFooter& footer, size_t column, const EmberReadOptions& options)
      : file_(file), footer_(footer), column_(column), options_(options),
        type_(footer.schema.field(column).type) {}

  ColumnPtr Build() {
    ColumnBuffers b;
    b.values = Assemble(EmberBufferRole::kValues);
    if (type_.id == TypeId::kString || type_.id == TypeId::kSparseVector) b.offsets = Assemble(EmberBufferRole::kOffsets);
    if (type_.id == TypeId::kSparseVector) b.indices = Assemble(EmberBufferRole::kIndices);
    b.validity = Assemble(EmberBufferRole::kValidity);
    return Make(footer_.num_rows, std::move(b));
  }

  /// The column's rows in one row group: its buffers stored raw are views
  /// of the file, the others decoded into owned memory.
  ColumnPtr BuildGroup(size_t group) {
    ColumnBuffers b;
    b.values = GroupBuffer(group, EmberBufferRole::kValues);
    if (type_.id == TypeId::kString || type_.id == TypeId::kSparseVector) {
      b.offsets = GroupBuffer(group, EmberBufferRole::kOffsets);
    }
    if (type_.id == TypeId::kSparseVector) b.indices = GroupBuffer(group, EmberBufferRole::kIndices);
    b.validity = GroupBuffer(group, EmberBufferRole::kValidity);
    return Make(footer_.row_groups[group].num_rows, std::move(b));
  }

 private:
  const std::string& Name() const { return footer_.schema.field(column_).name; }

  ColumnPtr Make(uint64_t rows, ColumnBuffers b) const {
    try {
      return Column::Make(type_, rows, std::move(b));
    } catch (const CorruptData& e) {
      throw CorruptData(fmt::format("{}: corrupt .ember file: column '{}': {}", file_.name, Name(), e.what()));
    }
  }

  /// One row group's buffer in `role` on its own (offsets run from 0), or
  /// null for an absent validity slot.
  BufferPtr GroupBuffer(size_t group, EmberBufferRole role) {
    const std::optional<EmberBufferRef>& ref = Ref(group, role);
    if (!ref) return nullptr;  // the footer check leaves only validity optional
    const bool is_offsets = role == EmberBufferRole::kOffsets;
    if (ref->codec == EmberCodec::kNone) {
      Verify(group, role);
      if (is_offsets) CheckOffsetEnds(group, reinterpret_cast<const int64_t*>(Stored(*ref)));
      return Buffer::View(Stored(*ref), ref->raw_size, file_.owner);
    }
    auto out = Buffer::Allocate(ref->raw_size);
    DecodeInto(group, role, out->mutable_data());
    if (is_offsets) CheckOffsetEnds(group, out->mutable_as<int64_t>());
    return out;
  }

  const std::optional<EmberBufferRef>& Ref(size_t group, EmberBufferRole role) const {
    return footer_.row_groups[group].columns[column_][role];
  }

  std::string Where(size_t group, EmberBufferRole role) const {
    const EmberBufferRef& ref = *Ref(group, role);
    return fmt::format("column '{}' (row group {}, {} buffer at byte {}, {} bytes)", Name(), group,
                       EmberBufferRoleName(role), ref.offset, ref.stored_size);
  }

  [[noreturn]] void Corrupt(size_t group, EmberBufferRole role, std::string_view what) const {
    throw CorruptData(fmt::format("{}: corrupt .ember file: {} in {}", file_.name, what, Where(group, role)));
  }

  const std::byte* Stored(const EmberBufferRef& ref) const { return file_.data + ref.offset; }

  void Verify(size_t group, EmberBufferRole role) const {
    const EmberBufferRef& ref = *Ref(group, role);
    if (options_.verify_checksums && Hash64(Stored(ref), ref.stored_size) != ref.xxhash64) {
      Corrupt(group, role, "checksum mismatch");
    }
  }

  /// Decodes one stored buffer into dst (exactly raw_size bytes).
  void DecodeInto(size_t group, EmberBufferRole role, std::byte* dst) {
    const EmberBufferRef& ref = *Ref(group, role);
    Verify(group, role);
    if (ref.codec == EmberCodec::kNone) {
      if (ref.raw_size > 0) std::memcpy(dst, Stored(ref), ref.raw_size);
      return;
    }
    const std::string error = decoder_.Decode({Stored(ref), ref.stored_size}, ref.codec,
                                              EmberElementWidth(type_, role), {dst, ref.raw_size});
    if (!error.empty()) Corrupt(group, role, error);
  }

  /// Entries of values (string bytes, sparse entries) in one row group.
  uint64_t DataItems(size_t group) const {
    const uint64_t raw = Ref(group, EmberBufferRole::kValues)->raw_size;
    return type_.id == TypeId::kString ? raw : raw / sizeof(float);
  }

  /// Checks that a row group's offsets run from 0 to its data item count.
  void CheckOffsetEnds(size_t group, const int64_t* o) const {
    const uint64_t rows = footer_.row_groups[group].num_rows;
    if (o[0] != 0 || o[rows] < 0 || static_cast<uint64_t>(o[rows]) != DataItems(group)) {
      Corrupt(group, EmberBufferRole::kOffsets,
              fmt::format("offsets run from {} to {}, expected 0 to {}", o[0], o[rows], DataItems(group)));
    }
  }

  BufferPtr Assemble(EmberBufferRole role) {
    const auto& groups = footer_.row_groups;
    const bool is_offsets = role == EmberBufferRole::kOffsets;
    if (groups.empty()) {
      if (role == EmberBufferRole::kValidity) return nullptr;
      auto empty = Buffer::Allocate(is_offsets ? sizeof(int64_t) : 0);
      if (is_offsets) empty->mutable_as<int64_t>()[0] = 0;
      return empty;
    }
    if (role == EmberBufferRole::kValidity) {
      bool any = false;
      for (size_t g = 0; g < groups.size(); ++g) any |= Ref(g, role).has_value();
      if (!any) return nullptr;
    }
    if (groups.size() == 1 && Ref(0, role)->codec == EmberCodec::kNone) return GroupBuffer(0, role);

    uint64_t total = is_offsets ? sizeof(int64_t) : 0;
    for (size_t g = 0; g < groups.size(); ++g) {
      const auto& ref = Ref(g, role);
      total += is_offsets ? groups[g].num_rows * sizeof(int64_t) : ref ? ref->raw_size : groups[g].num_rows;
    }
    auto out = Buffer::Allocate(total);
    std::byte* at = out->mutable_data();
    int64_t base = 0;
    for (size_t g = 0; g < groups.size(); ++g) {
      const uint64_t rows = groups[g].num_rows;
      if (!Ref(g, role)) {  // a row group without nulls
        std::memset(at, 1, rows);
        at += rows;
        continue;
      }
      // Each group's offsets overwrite the previous group's last entry, which
      // equals this group's first once shifted by `base`.
      DecodeInto(g, role, at);
      if (is_offsets) {
        auto* o = reinterpret_cast<int64_t*>(at);
        CheckOffsetEnds(g, o);
        for (uint64_t i = 0; i <= rows; ++i) o[i] += base;
        base += static_cast<int64_t>(DataItems(g));
        at += rows * sizeof(int64_t);
      } else {
        at += Ref(g, role)->raw_size;
      }
    }
    return out;
  }

  const FileBytes& file_;
  const EmberFooter& footer_;
  size_t column_;
  const EmberReadOptions& options_;
  DataType type_;
  EmberDecoder decoder_;
};

/// With a `progress_label`, shows a bar so named over the file's columns.
DataFrame ReadFromBytes(const FileBytes& file, const EmberReadOptions& options, const Context& ctx,
                        std::string_view progress_label) {
  const EmberFooter footer = ReadEmberFooter({file.data, file.size}, file.name);
  std::vector<ColumnPtr> columns(footer.schema.size());
  const std::unique_ptr<ProgressBar> bar =
      progress_label.empty() ? nullptr : ctx.progress().Start(std::string(progress_label), columns.size(), "columns");
  ParallelFor(ctx, columns.size(), 1, [&](const BlockRange& r) {
    columns[r.begin] = ColumnBuilder(file, footer, r.begin, options).Build();
    if (bar) bar->Advance(1);
  });
  return DataFrame::Make(footer.schema, std::move(columns));
}

}  // namespace

DataFrame ReadEmber(const std::string& path, const EmberReadOptions& options, const Context& ctx) {
  std::shared_ptr<const MappedFile> map = MappedFile::Open(path);
  const FileBytes file{map->data(), map->size(), map, path};
  return ReadFromBytes(file, options, ctx, "read " + path);
}

DataFrame ReadEmberBytes(std::span<const std::byte> bytes, std::string_view source_name,
                         const EmberReadOptions& options, const Context& ctx) {
  // A copy gives the 64-byte alignment views rely on, and an owner.
  auto copy = Buffer::Allocate(bytes.size());
  if (!bytes.empty()) std::memcpy(copy->mutable_data(), bytes.data(), bytes.size());
  const FileBytes file{copy->data(), copy->size(), copy, source_name};
  return ReadFromBytes(file, options, ctx, {});
}

struct EmberRowGroupReader::State {
  std::shared_ptr<const MappedFile> map;
  std::string path;
  FileBytes file;
  EmberFooter footer;
  EmberReadOptions options;
};

EmberRowGroupReader::EmberRowGroupReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
EmberRowGroupReader::EmberRowGroupReader(EmberRowGroupReader&&) noexcept = default;
EmberRowGroupReader& EmberRowGroupReader::operator=(EmberRowGroupReader&&) noexcept = default;
EmberRowGroupReader::~EmberRowGroupReader() = default;

EmberRowGroupReader EmberRowGroupReader::Open(const std::string& path, const EmberReadOptions& options) {
  auto state = std::make_unique<State>();
  state->map = MappedFile::Open(path);
  state->path = path;
  state->file = {state->map->data(), state->map->size(), state->map, state->path};
  state->footer = ReadEmberFooter({state->file.data, state->file.size}, state->path);
  state->options = options;
  return EmberRowGroupReader(std::move(state));
}

const Schema& EmberRowGroupReader::schema() const { return state_->footer.schema; }
size_t EmberRowGroupReader::num_row_groups() const { return state_->footer.row_groups.size(); }
uint64_t EmberRowGroupReader::num_rows(size_t group) const { return state_->footer.row_groups.at(group).num_rows; }

DataFrame EmberRowGroupReader::ReadRowGroup(size_t group, const Context& ctx) const {
  const State& s = *state_;
  EMBER_CHECK(group < s.footer.row_groups.size(), "row group {} of {}", group, s.footer.row_groups.size());
  std::vector<ColumnPtr> columns(s.footer.schema.size());
  ParallelFor(ctx, columns.size(), 1, [&](const BlockRange& r) {
    columns[r.begin] = ColumnBuilder(s.file, s.footer, r.begin, s.options).BuildGroup(group);
  });
  return DataFrame::Make(s.footer.schema, std::move(columns));
}

void EmberRowGroupReader::ReleaseRowGroup(size_t group) const {
  const State& s = *state_;
  uint64_t begin = UINT64_MAX;
  uint64_t end = 0;
  for (const EmberColumnChunk& chunk : s.footer.row_groups.at(group).columns) {
    for (const auto& ref : chunk.buffers) {
      if (!ref || ref->stored_size == 0) continue;
      begin = std::min(begin, ref->offset);
      end = std::max(end, ref->offset + ref->stored_size);
    }
  }
  if (end > begin) s.map->Release(begin, end - begin);
}

EmberFileInfo ReadEmberInfo(const std::string& path) {
  std::shared_ptr<const MappedFile> map = MappedFile::Open(path);
  EmberFileInfo info;
  EmberTailInfo tail;
  EmberFooter footer = ReadEmberFooter({map->data(), map->size()}, path, &tail);
  info.version = tail.version;
  info.footer_bytes = tail.footer_size;
  info.num_rows = footer.num_rows;
  info.row_groups = footer.row_groups.size();
  info.file_bytes = map->size();
  info.columns.resize(footer.schema.size());
  for (const EmberRowGroup& g : footer.row_groups) {
    for (size_t c = 0; c < g.columns.size(); ++c) {
      for (const auto& ref : g.columns[c].buffers) {
        if (!ref) continue;
        info.columns[c].stored_bytes += ref->stored_size;
        info.columns[c].raw_bytes += ref->raw_size;
        info.columns[c].compressed |= ref->codec != EmberCodec::kNone;
      }
    }
  }
  info.schema = std::move(footer.schema);
  return info;
}

}  // namespace ember
