// Header, tail and footer of .ember files: encoding, and the decoding that
// treats every byte as hostile until checked (see ember_format.h).
#include "io/ember_footer.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/hash.h"

namespace ember {

using nlohmann::json;

std::string_view EmberCodecName(EmberCodec codec) {
  switch (codec) {
    case EmberCodec::kNone: return "none";
    case EmberCodec::kZstd: return "zstd";
    case EmberCodec::kSplitZstd: return "split_zstd";
  }
  return "unknown";
}

size_t EmberElementWidth(DataType type, EmberBufferRole role) {
  switch (role) {
    case EmberBufferRole::kOffsets: return sizeof(int64_t);
    case EmberBufferRole::kIndices: return sizeof(int32_t);
    case EmberBufferRole::kValidity: return 1;
    case EmberBufferRole::kValues: break;
  }
  if (type.id == TypeId::kString) return 1;
  if (type.is_vector()) return sizeof(float);
  return type.fixed_width();
}

std::string_view EmberBufferRoleName(EmberBufferRole role) {
  switch (role) {
    case EmberBufferRole::kValues: return "values";
    case EmberBufferRole::kOffsets: return "offsets";
    case EmberBufferRole::kIndices: return "indices";
    case EmberBufferRole::kValidity: return "validity";
  }
  return "unknown";
}

namespace {

template <class T>
void StoreLe(std::byte* out, T v) {
  static_assert(std::endian::native == std::endian::little, "ember files are little-endian");
  std::memcpy(out, &v, sizeof(T));
}

template <class T>
T LoadLe(const std::byte* in) {
  T v;
  std::memcpy(&v, in, sizeof(T));
  return v;
}

[[noreturn]] void Corrupt(std::string_view source, std::string_view what) {
  throw CorruptData(fmt::format("{}: corrupt .ember file: {}", source, what));
}

constexpr EmberBufferRole kRoles[] = {EmberBufferRole::kValues, EmberBufferRole::kOffsets, EmberBufferRole::kIndices,
                                      EmberBufferRole::kValidity};

/// Whether a column of type `id` stores buffer `role`: 2 required, 1 optional, 0 never.
int RoleUse(TypeId id, EmberBufferRole role) {
  switch (role) {
    case EmberBufferRole::kValues: return 2;
    case EmberBufferRole::kValidity: return 1;
    case EmberBufferRole::kOffsets: return id == TypeId::kString || id == TypeId::kSparseVector ? 2 : 0;
    case EmberBufferRole::kIndices: return id == TypeId::kSparseVector ? 2 : 0;
  }
  return 0;
}

/// Reads JSON with a path for messages ("row_groups[1].columns[0].values").
class FooterParser {
 public:
  explicit FooterParser(std::string_view source, uint64_t data_end) : source_(source), data_end_(data_end) {}

  EmberFooter Parse(const json& root) {
    Expect(root.is_object(), "footer", "is not a JSON object");
    EmberFooter footer;
    footer.num_rows = Unsigned(root, "num_rows", "footer");
    footer.schema = ParseSchema(Member(root, "schema", "footer", json::value_t::array));
    const json& groups = Member(root, "row_groups", "footer", json::value_t::array);
    uint64_t total = 0;
    for (size_t g = 0; g < groups.size(); ++g) {
      footer.row_groups.push_back(ParseRowGroup(groups[g], g, footer.schema));
      if (__builtin_add_overflow(total, footer.row_groups.back().num_rows, &total)) {
        Corrupt(source_, "row group row counts overflow");
      }
    }
    if (total != footer.num_rows) {
      Corrupt(source_, fmt::format("footer says {} rows but its row groups hold {}", footer.num_rows, total));
    }
    if (footer.schema.size() == 0 && footer.num_rows != 0) {
      Corrupt(source_, fmt::format("footer says {} rows but there are no columns", footer.num_rows));
    }
    CheckNoOverlap();
    return footer;
  }

 private:
  void Expect(bool ok, std::string_view where, std::string_view what) const {
    if (!ok) Corrupt(source_, fmt::format("footer: {} {}", where, what));
  }

  const json& Member(const json& obj, const char* key, std::string_view where, json::value_t type) const {
    auto it = obj.find(key);
    Expect(it != obj.end(), fmt::format("{}.{}", where, key), "is missing");
    Expect(it->type() == type, fmt::format("{}.{}", where, key),
           fmt::format("should be a JSON {} but is a {}", json(type).type_name(), it->type_name()));
    return *it;
  }

  uint64_t Unsigned(const json& obj, const char* key, std::string_view where) const {
    auto it = obj.find(key);
    Expect(it != obj.end(), fmt::format("{}.{}", where, key), "is missing");
    Expect(it->is_number_unsigned(), fmt::format("{}.{}", where, key), "should be an unsigned integer");
    return it->get<uint64_t>();
  }

  Schema ParseSchema(const json& fields_json) {
    std::vector<Field> fields;
    for (size_t i = 0; i < fields_json.size(); ++i) {
      const std::string where = fmt::format("schema[{}]", i);
      const json& f = fields_json[i];
      Expect(f.is_object(), where, "is not a JSON object");
      Field field;
      field.name = Member(f, "name", where, json::value_t::string).get<std::string>();
      const std::string type = Member(f, "type", where, json::value_t::string).get<std::string>();
      try {
        field.type = DataType::Parse(type);
      } catch (const InvalidArgument&) {
        Expect(false, where + ".type", fmt::format("'{}' is not a known type", type));
      }
      Expect(field.type.id != TypeId::kDenseVector || field.type.dim > 0, where + ".type",
             "is a dense vector of dimension 0");
      for (const auto& [key, value] : Member(f, "metadata", where, json::value_t::object).items()) {
        Expect(value.is_string(), fmt::format("{}.metadata.{}", where, key), "is not a string");
        field.metadata.emplace(key, value.get<std::string>());
      }
      fields.push_back(std::move(field));
    }
    try {
      return Schema::Make(std::move(fields));
    } catch (const SchemaError& e) {
      Corrupt(source_, fmt::format("footer schema: {}", e.what()));
    }
  }

  EmberRowGroup ParseRowGroup(const json& g, size_t index, const Schema& schema) {
    const std::string where = fmt::format("row_groups[{}]", index);
    Expect(g.is_object(), where, "is not a JSON object");
    EmberRowGroup group;
    group.num_rows = Unsigned(g, "num_rows", where);
    const json& columns = Member(g, "columns", where, json::value_t::array);
    Expect(columns.size() == schema.size(), where + ".columns",
           fmt::format("has {} entries for {} schema fields", columns.size(), schema.size()));
    for (size_t c = 0; c < columns.size(); ++c) {
      group.columns.push_back(ParseChunk(columns[c], fmt::format("{}.columns[{}] ('{}')", where, c,
                                                                 schema.field(c).name),
                                         schema.field(c).type, group.num_rows));
    }
    return group;
  }

  EmberColumnChunk ParseChunk(const json& c, const std::string& where, DataType type, uint64_t rows) {
    Expect(c.is_object(), where, "is not a JSON object");
    EmberColumnChunk chunk;
    for (EmberBufferRole role : kRoles) {
      const std::string key(EmberBufferRoleName(role));
      const int use = RoleUse(type.id, role);
      const bool present = c.contains(key);
      Expect(present || use != 2, fmt::format("{}.{}", where, key), fmt::format("is missing ({} columns need it)",
                                                                                  type.ToString()));
      Expect(!present || use != 0, fmt::format("{}.{}", where, key),
             fmt::format("is present, but {} columns have no such buffer", type.ToString()));
      if (!present) continue;
      chunk[role] = ParseBuffer(c[key], fmt::format("{}.{}", where, key));
      Expect(chunk[role]->codec != EmberCodec::kSplitZstd || EmberElementWidth(type, role) > 1,
             fmt::format("{}.{}", where, key), "uses split_zstd on 1-byte elements");
    }
    CheckSizes(chunk, where, type, rows);
    return chunk;
  }

  EmberBufferRef ParseBuffer(const json& b, const std::string& where) {
    Expect(b.is_object(), where, "is not a JSON object");
    EmberBufferRef ref;
    ref.offset = Unsigned(b, "offset", where);
    ref.stored_size = Unsigned(b, "stored_size", where);
    ref.raw_size = Unsigned(b, "raw_size", where);
    const std::string codec = Member(b, "codec", where, json::value_t::string).get<std::string>();
    if (codec == "none") {
      ref.codec = EmberCodec::kNone;
    } else if (codec == "zstd") {
      ref.codec = EmberCodec::kZstd;
    } else if (codec == "split_zstd") {
      ref.codec = EmberCodec::kSplitZstd;
    } else {
      Expect(false, where + ".codec", fmt::format("is '{}'; expected 'none', 'zstd' or 'split_zstd'", codec));
    }
    const std::string hash = Member(b, "xxhash64", where, json::value_t::string).get<std::string>();
    Expect(hash.size() == 16 && hash.find_first_not_of("0123456789abcdef") == std::string::npos, where + ".xxhash64",
           "should be 16 lowercase hex digits");
    ref.xxhash64 = std::stoull(hash, nullptr, 16);

    Expect(ref.offset >= kEmberHeaderSize && ref.offset % kEmberAlignment == 0, where,
           fmt::format("starts at byte {}, which is not a 64-byte-aligned offset after the header", ref.offset));
    Expect(ref.offset <= data_end_ && ref.stored_size <= data_end_ - ref.offset, where,
           fmt::format("[{}, +{}) runs past the data region, which ends at byte {}", ref.offset, ref.stored_size,
                       data_end_));
    if (ref.codec == EmberCodec::kNone) {
      Expect(ref.stored_size == ref.raw_size, where,
             fmt::format("is stored raw but its sizes differ ({} stored, {} raw)", ref.stored_size, ref.raw_size));
    } else {
      Expect(static_cast<unsigned __int128>(ref.stored_size) * kZstdMaxExpansion >= ref.raw_size, where,
             fmt::format("claims {} raw bytes from {} zstd bytes, more than zstd can encode", ref.raw_size,
                         ref.stored_size));
    }
    if (ref.stored_size > 0) ranges_.push_back({ref.offset, ref.stored_size});
    return ref;
  }

  void CheckSizes(const EmberColumnChunk& chunk, const std::string& where, DataType type, uint64_t rows) {
    auto raw = [&](EmberBufferRole r) { return chunk[r]->raw_size; };
    using u128 = unsigned __int128;
    auto expect_size = [&](EmberBufferRole r, u128 count, uint64_t width) {
      const u128 want = count * width;
      Expect(raw(r) == want, fmt::format("{}.{}", where, EmberBufferRoleName(r)),
             fmt::format("holds {} bytes; {} rows of {} need {}", raw(r), rows, type.ToString(),
                         static_cast<uint64_t>(std::min<u128>(want, UINT64_MAX))));
    };
    if (chunk[EmberBufferRole::kValidity]) expect_size(EmberBufferRole::kValidity, rows, 1);
    switch (type.id) {
      case TypeId::kString:
        expect_size(EmberBufferRole::kOffsets, u128{rows} + 1, sizeof(int64_t));
        break;
      case TypeId::kSparseVector:
        expect_size(EmberBufferRole::kOffsets, u128{rows} + 1, sizeof(int64_t));
        Expect(raw(EmberBufferRole::kIndices) % sizeof(int32_t) == 0 &&
                   raw(EmberBufferRole::kIndices) == raw(EmberBufferRole::kValues),
               where, "has sparse indices and values of different lengths");
        break;
      case TypeId::kDenseVector:
        expect_size(EmberBufferRole::kValues, rows, static_cast<uint64_t>(type.dim) * sizeof(float));
        break;
      default:
        expect_size(EmberBufferRole::kValues, rows, type.fixed_width());
    }
  }

  void CheckNoOverlap() {
    std::sort(ranges_.begin(), ranges_.end());
    for (size_t i = 1; i < ranges_.size(); ++i) {
      const auto& [prev_offset, prev_size] = ranges_[i - 1];
      Expect(prev_offset + prev_size <= ranges_[i].first, "buffers",
             fmt::format("overlap: [{}, +{}) and [{}, +{})", prev_offset, prev_size, ranges_[i].first,
                         ranges_[i].second));
    }
  }

  std::string_view source_;
  uint64_t data_end_;
  std::vector<std::pair<uint64_t, uint64_t>> ranges_;
};

json BufferToJson(const EmberBufferRef& b) {
  json j = json::object();
  j["offset"] = b.offset;
  j["stored_size"] = b.stored_size;
  j["raw_size"] = b.raw_size;
  j["codec"] = EmberCodecName(b.codec);
  j["xxhash64"] = HexDigest(b.xxhash64);
  return j;
}

}  // namespace

std::array<std::byte, kEmberHeaderSize> EncodeEmberHeader() {
  std::array<std::byte, kEmberHeaderSize> h{};
  std::memcpy(h.data(), kEmberMagic.data(), kEmberMagic.size());
  StoreLe<uint32_t>(h.data() + 8, kEmberFormatVersion);
  return h;
}

std::array<std::byte, kEmberTailSize> EncodeEmberTail(uint64_t footer_size, uint64_t footer_hash) {
  std::array<std::byte, kEmberTailSize> t{};
  StoreLe<uint64_t>(t.data(), footer_size);
  StoreLe<uint64_t>(t.data() + 8, footer_hash);
  StoreLe<uint32_t>(t.data() + 16, kEmberFormatVersion);
  std::memcpy(t.data() + 20, kEmberMagic.data(), kEmberMagic.size());
  return t;
}

std::string SerializeEmberFooter(const EmberFooter& footer, std::string_view path) {
  json root = json::object();
  root["num_rows"] = footer.num_rows;
  json schema = json::array();
  for (const Field& f : footer.schema.fields()) {
    json metadata = json::object();
    for (const auto& [k, v] : f.metadata) metadata[k] = v;
    schema.push_back({{"name", f.name}, {"type", f.type.ToString()}, {"metadata", std::move(metadata)}});
  }
  root["schema"] = std::move(schema);
  json groups = json::array();
  for (const EmberRowGroup& g : footer.row_groups) {
    json columns = json::array();
    for (const EmberColumnChunk& c : g.columns) {
      json col = json::object();
      for (EmberBufferRole role : kRoles) {
        if (c[role]) col[std::string(EmberBufferRoleName(role))] = BufferToJson(*c[role]);
      }
      columns.push_back(std::move(col));
    }
    groups.push_back({{"num_rows", g.num_rows}, {"columns", std::move(columns)}});
  }
  root["row_groups"] = std::move(groups);
  try {
    return root.dump();
  } catch (const json::exception&) {
    throw InvalidArgument(fmt::format("cannot write '{}': a column name or metadata string is not valid UTF-8", path));
  }
}

EmberFooter ReadEmberFooter(std::span<const std::byte> file, std::string_view source, EmberTailInfo* tail_out) {
  const size_t size = file.size();
  if (size == 0) throw CorruptData(fmt::format("{}: empty file; not an .ember file", source));
  const size_t minimum = kEmberHeaderSize + kEmberTailSize;
  if (std::memcmp(file.data(), kEmberMagic.data(), std::min(size, kEmberMagic.size())) != 0) {
    throw CorruptData(fmt::format("{}: not an .ember file: it does not start with the magic bytes \"{}\"", source,
                                  kEmberMagic));
  }
  if (size < minimum) {
    throw CorruptData(fmt::format("{}: truncated .ember file: {} bytes, but even an empty one has {}", source, size,
                                  minimum));
  }
  const auto header_version = LoadLe<uint32_t>(file.data() + 8);
  if (header_version > kEmberFormatVersion) {
    throw CorruptData(fmt::format("{}: written by format version {}; this build reads up to {}", source,
                                  header_version, kEmberFormatVersion));
  }
  if (header_version == 0) Corrupt(source, "header names format version 0, which does not exist");
  for (size_t i = 12; i < kEmberHeaderSize; ++i) {
    if (file[i] != std::byte{0}) Corrupt(source, fmt::format("reserved header byte {} is not zero", i));
  }
  if (std::memcmp(file.data() + size - kEmberMagic.size(), kEmberMagic.data(), kEmberMagic.size()) != 0) {
    throw CorruptData(fmt::format(
        "{}: truncated or incomplete .ember file ({} bytes): it does not end with the magic bytes \"{}\"", source,
        size, kEmberMagic));
  }
  const std::byte* tail = file.data() + size - kEmberTailSize;
  const auto footer_size = LoadLe<uint64_t>(tail);
  const auto footer_hash = LoadLe<uint64_t>(tail + 8);
  const auto tail_version = LoadLe<uint32_t>(tail + 16);
  if (tail_version != header_version) {
    Corrupt(source, fmt::format("the header says format version {} but the tail says {}", header_version,
                                tail_version));
  }
  const uint64_t room = size - kEmberHeaderSize - kEmberTailSize;
  if (footer_size > room) {
    Corrupt(source, fmt::format("the footer length {} does not fit in the file ({} bytes)", footer_size, size));
  }
  const uint64_t footer_offset = size - kEmberTailSize - footer_size;
  const std::byte* footer = file.data() + footer_offset;
  if (Hash64(footer, footer_size) != footer_hash) {
    Corrupt(source, fmt::format("footer checksum mismatch (footer at byte {}, {} bytes)", footer_offset,
                                footer_size));
  }
  const std::string_view text(reinterpret_cast<const char*>(footer), footer_size);
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    Corrupt(source, fmt::format("the footer at byte {} is not valid JSON", footer_offset));
  }
  if (tail_out != nullptr) *tail_out = {header_version, footer_offset, footer_size};
  try {
    return FooterParser(source, footer_offset).Parse(root);
  } catch (const json::exception& e) {
    // The parser checks every type before reading it; this is a last guard.
    Corrupt(source, fmt::format("malformed footer: {}", e.what()));
  }
}

}  // namespace ember
