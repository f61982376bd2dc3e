// Tests of the .ember writer and reader: round trips of every type, the
// zero-copy load, and refusal of damaged files with a clear message.
#include "io/ember_file.h"

#include <sys/resource.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <zstd.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/hash.h"
#include "io/ember_codec.h"

namespace ember {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/ember-file-test-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (fs::path(path_) / name).string(); }
  size_t EntryCount() const { return static_cast<size_t>(std::distance(fs::directory_iterator(path_), {})); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string Slurp(const std::string& path) { return ReadFileToString(path); }
void Spit(const std::string& path, const std::string& bytes) { WriteFileAtomically(path, bytes); }

// ---- the frame every round trip uses: five hand-written rows, repeated ----

constexpr size_t kPattern = 5;
const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

const std::vector<uint8_t> kBools = {1, 0, 0, 1, 1};
const std::vector<int32_t> kInt32 = {7, -1, 0, 2147483647, -2147483647 - 1};
const std::vector<int64_t> kInt64 = {1LL << 40, -3, 0, 9223372036854775807LL, 42};
const std::vector<float> kFloat32 = {1.5f, -0.0f, static_cast<float>(kInf), static_cast<float>(kNaN), 3e-38f};
const std::vector<double> kFloat64 = {0.1, -kInf, kNaN, 1e308, -2.5};
const std::vector<std::optional<std::string>> kStrings = {"alpha", "", std::nullopt, "ünïcode", ""};
const std::vector<float> kDense = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};  // 5 rows x 3
// Sparse rows (dim 5): {1: 1.5, 4: -2}, {}, {0: 3}, {2: 0.25, 3: 7}, {4: 9}
const std::vector<int64_t> kSparseOffsets = {0, 2, 2, 3, 5, 6};
const std::vector<int32_t> kSparseIndices = {1, 4, 0, 2, 3, 4};
const std::vector<float> kSparseValues = {1.5f, -2, 3, 0.25f, 7, 9};

/// `repeats` copies of the five pattern rows, row i holding pattern row i % 5.
DataFrame PatternFrame(size_t repeats) {
  std::vector<uint8_t> bools;
  std::vector<int32_t> i32;
  std::vector<int64_t> i64;
  std::vector<float> f32, dense, sv;
  std::vector<double> f64;
  std::vector<std::optional<std::string>> strings;
  std::vector<int64_t> so = {0};
  std::vector<int32_t> si;
  std::vector<uint8_t> f64_valid;
  for (size_t r = 0; r < repeats; ++r) {
    for (size_t i = 0; i < kPattern; ++i) {
      bools.push_back(kBools[i]);
      i32.push_back(kInt32[i]);
      i64.push_back(kInt64[i]);
      f32.push_back(kFloat32[i]);
      f64.push_back(kFloat64[i]);
      f64_valid.push_back(i != 4);  // the last pattern row is null (distinct from NaN)
      strings.push_back(kStrings[i]);
      for (size_t d = 0; d < 3; ++d) dense.push_back(kDense[i * 3 + d]);
      for (auto k = kSparseOffsets[i]; k < kSparseOffsets[i + 1]; ++k) {
        si.push_back(kSparseIndices[k]);
        sv.push_back(kSparseValues[k]);
      }
      so.push_back(static_cast<int64_t>(si.size()));
    }
  }
  const size_t rows = repeats * kPattern;
  std::vector<Field> fields = {
      {"b", DataType::Bool(), {}},
      {"i32", DataType::Int32(), {}},
      {"i64", DataType::Int64(), {{"unit", "bytes"}}},
      {"f32", DataType::Float32(), {}},
      {"f64", DataType::Float64(), {}},
      {"s", DataType::String(), {{"labels", "[\"a\",\"b\"]"}, {"empty", ""}}},
      {"dense", DataType::DenseVector(3), {}},
      {"sparse", DataType::SparseVector(5), {}},
  };
  std::vector<ColumnPtr> columns = {
      MakeColumn(bools), MakeColumn(i32), MakeColumn(i64), MakeColumn(f32), MakeColumn(f64, f64_valid),
      MakeNullableStringColumn(strings), MakeDenseVectorColumn(rows, 3, dense),
      MakeSparseVectorColumn(5, so, si, sv),
  };
  return DataFrame::Make(Schema::Make(std::move(fields)), std::move(columns));
}

void ExpectFloatEq(double want, double got, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what;
  } else {
    EXPECT_EQ(want, got) << what;
    EXPECT_EQ(std::signbit(want), std::signbit(got)) << what;
  }
}

/// Checks every value of a frame read back against the hand-written pattern.
void ExpectPatternFrame(const DataFrame& f, size_t repeats) {
  const size_t rows = repeats * kPattern;
  ASSERT_EQ(f.num_rows(), rows);
  ASSERT_EQ(f.num_columns(), 8u);
  EXPECT_EQ(f.schema().field(2).metadata, (std::map<std::string, std::string>{{"unit", "bytes"}}));
  EXPECT_EQ(f.schema().field(5).metadata,
            (std::map<std::string, std::string>{{"labels", "[\"a\",\"b\"]"}, {"empty", ""}}));
  EXPECT_EQ(f.schema().field(6).type, DataType::DenseVector(3));
  EXPECT_EQ(f.schema().field(7).type, DataType::SparseVector(5));
  const Column& s = *f.column("s");
  const Column& f64 = *f.column("f64");
  EXPECT_EQ(s.null_count(), repeats);
  EXPECT_EQ(f64.null_count(), repeats);
  for (size_t r = 0; r < rows; ++r) {
    const size_t i = r % kPattern;
    const std::string at = fmt::format("row {}", r);
    EXPECT_EQ(f.column("b")->values<uint8_t>()[r], kBools[i]) << at;
    EXPECT_EQ(f.column("i32")->values<int32_t>()[r], kInt32[i]) << at;
    EXPECT_EQ(f.column("i64")->values<int64_t>()[r], kInt64[i]) << at;
    ExpectFloatEq(kFloat32[i], f.column("f32")->values<float>()[r], at);
    EXPECT_EQ(f64.IsValid(r), i != 4) << at;
    if (i != 4) {
      ExpectFloatEq(kFloat64[i], f64.values<double>()[r], at);
    }
    EXPECT_EQ(s.IsValid(r), kStrings[i].has_value()) << at;
    if (kStrings[i]) {
      EXPECT_EQ(s.StringAt(r), *kStrings[i]) << at;
    }
    const auto dense = f.column("dense")->DenseRow(r);
    EXPECT_EQ(std::vector<float>(dense.begin(), dense.end()),
              std::vector<float>(kDense.begin() + i * 3, kDense.begin() + i * 3 + 3)) << at;
    const SparseRow sparse = f.column("sparse")->SparseRowAt(r);
    const auto b = kSparseOffsets[i];
    const auto e = kSparseOffsets[i + 1];
    EXPECT_EQ(std::vector<int32_t>(sparse.indices.begin(), sparse.indices.end()),
              std::vector<int32_t>(kSparseIndices.begin() + b, kSparseIndices.begin() + e)) << at;
    EXPECT_EQ(std::vector<float>(sparse.values.begin(), sparse.values.end()),
              std::vector<float>(kSparseValues.begin() + b, kSparseValues.begin() + e)) << at;
  }
}

/// Writes `frame` as batches cut at `cuts` (row positions), or whole.
void WriteInBatches(const DataFrame& frame, const std::string& path, EmberWriteOptions options,
                    const std::vector<size_t>& cuts, const Context& ctx) {
  EmberFileWriter w = EmberFileWriter::Open(path, frame.schema(), options);
  size_t begin = 0;
  for (size_t cut : cuts) {
    w.Append(frame.Slice(begin, cut - begin), ctx);
    begin = cut;
  }
  w.Append(frame.Slice(begin, frame.num_rows() - begin), ctx);
  w.Commit();
}

/// The file's footer, parsed independently of ember's reader.
json FooterOf(const std::string& bytes) {
  uint64_t footer_size = 0;
  std::memcpy(&footer_size, bytes.data() + bytes.size() - 28, 8);
  return json::parse(bytes.substr(bytes.size() - 28 - footer_size, footer_size));
}

/// Replaces the footer with `footer` and reseals the tail (length and hash).
std::string WithFooter(const std::string& bytes, const std::string& footer) {
  uint64_t old_size = 0;
  std::memcpy(&old_size, bytes.data() + bytes.size() - 28, 8);
  std::string out = bytes.substr(0, bytes.size() - 28 - old_size) + footer;
  const uint64_t size = footer.size();
  const uint64_t hash = Hash64(footer);
  out.append(reinterpret_cast<const char*>(&size), 8);
  out.append(reinterpret_cast<const char*>(&hash), 8);
  out.append(bytes, bytes.size() - 12, 12);  // version + magic
  return out;
}

/// Address ranges where `path` is mapped into this process (from /proc/self/maps).
std::vector<std::pair<uintptr_t, uintptr_t>> MappingsOf(const std::string& path) {
  std::ifstream maps("/proc/self/maps");
  std::vector<std::pair<uintptr_t, uintptr_t>> out;
  std::string line;
  const std::string canonical = fs::canonical(path).string();
  while (std::getline(maps, line)) {
    if (!line.ends_with(" " + canonical)) continue;
    uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream in(line);
    in >> std::hex >> begin >> dash >> end;
    out.emplace_back(begin, end);
  }
  return out;
}

bool InsideMapping(const std::byte* p, const std::vector<std::pair<uintptr_t, uintptr_t>>& ranges) {
  const auto a = reinterpret_cast<uintptr_t>(p);
  for (const auto& [b, e] : ranges) {
    if (a >= b && a < e) return true;
  }
  return false;
}

template <class E>
std::string MessageOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("WRONG EXCEPTION TYPE: ") + e.what();
  }
  return "NO EXCEPTION";
}

std::string ReadError(const std::string& path, EmberReadOptions options = {}) {
  return MessageOf<CorruptData>([&] { ReadEmber(path, options, Context::Default(2)); });
}

// ---- round trips ----

struct RoundTripCase {
  Compression compression;
  std::vector<size_t> cuts;  // batch boundaries; none = one row group
};

class EmberRoundTripTest : public testing::TestWithParam<RoundTripCase> {};

TEST_P(EmberRoundTripTest, EveryTypeComesBackExactly) {
  TempDir dir;
  const RoundTripCase& c = GetParam();
  const size_t repeats = 200;  // repetitive enough that zstd shrinks every buffer
  const Context ctx = Context::Default(2);
  WriteInBatches(PatternFrame(repeats), dir / "t.ember", {.compression = c.compression}, c.cuts, ctx);
  ExpectPatternFrame(ReadEmber(dir / "t.ember", {}, ctx), repeats);

  const EmberFileInfo info = ReadEmberInfo(dir / "t.ember");
  EXPECT_EQ(info.num_rows, repeats * kPattern);
  EXPECT_EQ(info.row_groups, c.cuts.size() + 1);
  EXPECT_EQ(info.version, 1u);
  EXPECT_EQ(info.schema, PatternFrame(1).schema());
  for (const EmberColumnInfo& col : info.columns) {
    EXPECT_EQ(col.compressed, c.compression == Compression::kZstd);
    if (c.compression == Compression::kZstd) {
      EXPECT_LT(col.stored_bytes, col.raw_bytes);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EmberLayouts, EmberRoundTripTest,
                         testing::Values(RoundTripCase{Compression::kNone, {}},
                                         RoundTripCase{Compression::kZstd, {}},
                                         RoundTripCase{Compression::kNone, {333, 334}},
                                         RoundTripCase{Compression::kZstd, {333, 334}},
                                         RoundTripCase{Compression::kNone, {1, 2, 3, 997}}));

TEST(EmberFileTest, ZstdSplitsMultiByteElements) {
  TempDir dir;
  WriteEmber(PatternFrame(200), dir / "z.ember", {.compression = Compression::kZstd}, Context::Default(1));
  const json columns = FooterOf(Slurp(dir / "z.ember"))["row_groups"][0]["columns"];
  EXPECT_EQ(columns[0]["values"]["codec"], "zstd");        // bool: 1-byte elements
  EXPECT_EQ(columns[4]["values"]["codec"], "split_zstd");  // float64
  EXPECT_EQ(columns[4]["validity"]["codec"], "zstd");
  EXPECT_EQ(columns[5]["values"]["codec"], "zstd");        // string bytes
  EXPECT_EQ(columns[5]["offsets"]["codec"], "split_zstd");
  EXPECT_EQ(columns[7]["indices"]["codec"], "split_zstd");
}

TEST(EmberCodecTest, SplitPlanesByHand) {
  // Two int32 elements 0x04030201 and 0x08070605 (little-endian bytes 01 02 03
  // 04 05 06 07 08) split into planes 01 05 | 02 06 | 03 07 | 04 08.
  const std::vector<uint8_t> raw = {1, 2, 3, 4, 5, 6, 7, 8};
  const auto raw_bytes = std::as_bytes(std::span<const uint8_t>(raw));
  const std::vector<std::byte> stored = EmberCompress(raw_bytes, EmberCodec::kSplitZstd, 4, 3);
  std::vector<uint8_t> planes(8);
  ASSERT_EQ(ZSTD_decompress(planes.data(), planes.size(), stored.data(), stored.size()), 8u);
  EXPECT_EQ(planes, (std::vector<uint8_t>{1, 5, 2, 6, 3, 7, 4, 8}));

  std::vector<uint8_t> back(8);
  EmberDecoder decoder;
  EXPECT_EQ(decoder.Decode(stored, EmberCodec::kSplitZstd, 4, std::as_writable_bytes(std::span<uint8_t>(back))), "");
  EXPECT_EQ(back, raw);
  std::vector<uint8_t> too_big(12);
  EXPECT_EQ(decoder.Decode(stored, EmberCodec::kSplitZstd, 4, std::as_writable_bytes(std::span<uint8_t>(too_big))),
            "zstd data decodes to 8 bytes instead of 12");
}

TEST(EmberCodecTest, SplitWorksInBlocksOf65536Elements) {
  // Elements i = 0 .. 65538 (int32): block 0 holds 65536 elements, block 1
  // the last three (65536 = 0x10000, 65537, 65538).
  const size_t n = 65539;
  std::vector<int32_t> raw(n);
  for (size_t i = 0; i < n; ++i) raw[i] = static_cast<int32_t>(i);
  const auto raw_bytes = std::as_bytes(std::span<const int32_t>(raw));
  const std::vector<std::byte> stored = EmberCompress(raw_bytes, EmberCodec::kSplitZstd, 4, 3);
  std::vector<uint8_t> planes(n * 4);
  ASSERT_EQ(ZSTD_decompress(planes.data(), planes.size(), stored.data(), stored.size()), n * 4);
  EXPECT_EQ(planes[0], 0);
  EXPECT_EQ(planes[300], 300 & 0xff);              // block 0, plane 0: low bytes
  EXPECT_EQ(planes[65536 + 300], 300 >> 8);        // block 0, plane 1
  EXPECT_EQ(planes[2 * 65536 + 300], 0);           // block 0, plane 2
  const std::vector<uint8_t> block1(planes.begin() + 4 * 65536, planes.end());
  EXPECT_EQ(block1, (std::vector<uint8_t>{0, 1, 2, 0, 0, 0, 1, 1, 1, 0, 0, 0}));

  std::vector<int32_t> back(n);
  EmberDecoder decoder;
  EXPECT_EQ(decoder.Decode(stored, EmberCodec::kSplitZstd, 4, std::as_writable_bytes(std::span<int32_t>(back))), "");
  EXPECT_EQ(back, raw);
}

TEST(EmberFileTest, SmallFrameStoresIncompressibleBuffersRaw) {
  TempDir dir;
  WriteEmber(PatternFrame(1), dir / "s.ember", {.compression = Compression::kZstd}, Context::Default(1));
  ExpectPatternFrame(ReadEmber(dir / "s.ember", {}, Context::Default(1)), 1);
  const json footer = FooterOf(Slurp(dir / "s.ember"));
  EXPECT_EQ(footer["row_groups"][0]["columns"][0]["values"]["codec"], "none");  // 5 bytes never shrink
}

TEST(EmberFileTest, ZeroRowsKeepTheSchema) {
  TempDir dir;
  const DataFrame empty = PatternFrame(1).Slice(0, 0);
  WriteEmber(empty, dir / "z.ember", {}, Context::Default(1));
  const DataFrame back = ReadEmber(dir / "z.ember", {}, Context::Default(1));
  EXPECT_EQ(back.num_rows(), 0u);
  EXPECT_EQ(back.schema(), empty.schema());
  EXPECT_EQ(back.column("s")->length(), 0u);
  EXPECT_EQ(ReadEmberInfo(dir / "z.ember").row_groups, 0u);

  // Empty batches add no row group between non-empty ones.
  const DataFrame frame = PatternFrame(1);
  EmberFileWriter w = EmberFileWriter::Open(dir / "e.ember", frame.schema(), {});
  w.Append(frame.Slice(0, 0), Context::Default(1));
  w.Append(frame, Context::Default(1));
  w.Append(frame.Slice(3, 0), Context::Default(1));
  w.Commit();
  EXPECT_EQ(ReadEmberInfo(dir / "e.ember").row_groups, 1u);
  ExpectPatternFrame(ReadEmber(dir / "e.ember", {}, Context::Default(1)), 1);
}

TEST(EmberFileTest, NoColumnsAtAll) {
  TempDir dir;
  WriteEmber(DataFrame(), dir / "n.ember", {}, Context::Default(1));
  const DataFrame back = ReadEmber(dir / "n.ember", {}, Context::Default(1));
  EXPECT_EQ(back.num_columns(), 0u);
  EXPECT_EQ(back.num_rows(), 0u);
}

TEST(EmberFileTest, UncompressedSingleGroupIsZeroCopy) {
  TempDir dir;
  const Context ctx = Context::Default(2);
  WriteEmber(PatternFrame(10), dir / "m.ember", {}, ctx);
  const DataFrame f = ReadEmber(dir / "m.ember", {}, ctx);
  const auto ranges = MappingsOf(dir / "m.ember");
  ASSERT_FALSE(ranges.empty()) << "the file is not memory-mapped";
  for (const ColumnPtr& c : f.columns()) {
    EXPECT_TRUE(InsideMapping(c->buffers().values->data(), ranges));
    EXPECT_EQ(reinterpret_cast<uintptr_t>(c->buffers().values->data()) % 64, 0u);
  }
  EXPECT_TRUE(InsideMapping(f.column("s")->buffers().offsets->data(), ranges));
  EXPECT_TRUE(InsideMapping(f.column("f64")->buffers().validity->data(), ranges));

  // Several row groups are assembled into fresh memory instead.
  WriteInBatches(PatternFrame(10), dir / "g.ember", {}, {20}, ctx);
  const DataFrame g = ReadEmber(dir / "g.ember", {}, ctx);
  EXPECT_FALSE(InsideMapping(g.column("f32")->buffers().values->data(), MappingsOf(dir / "g.ember")));
}

TEST(EmberFileTest, SameFrameWithOneAndTwoThreads) {
  TempDir dir;
  WriteInBatches(PatternFrame(300), dir / "t.ember", {.compression = Compression::kZstd}, {700},
                 Context::Default(2));
  ExpectPatternFrame(ReadEmber(dir / "t.ember", {}, Context::Default(1)), 300);
  ExpectPatternFrame(ReadEmber(dir / "t.ember", {}, Context::Default(2)), 300);
  // Writing with one thread gives the same bytes as with two.
  WriteInBatches(PatternFrame(300), dir / "one.ember", {.compression = Compression::kZstd}, {700},
                 Context::Default(1));
  EXPECT_EQ(Slurp(dir / "one.ember"), Slurp(dir / "t.ember"));
}

TEST(EmberFileTest, ReadEmberBytesMatchesTheFile) {
  TempDir dir;
  WriteEmber(PatternFrame(3), dir / "b.ember", {}, Context::Default(1));
  const std::string bytes = Slurp(dir / "b.ember");
  const auto span = std::as_bytes(std::span<const char>(bytes.data(), bytes.size()));
  ExpectPatternFrame(ReadEmberBytes(span, "memory", {}, Context::Default(1)), 3);
  EXPECT_NE(MessageOf<CorruptData>([&] { ReadEmberBytes(span.first(50), "memory", {}, Context::Default(1)); })
                .find("memory: truncated"),
            std::string::npos);
}

// ---- the writer's contract ----

TEST(EmberFileTest, AppendRefusesAnotherSchema) {
  TempDir dir;
  const DataFrame frame = PatternFrame(1);
  EmberFileWriter w = EmberFileWriter::Open(dir / "x.ember", frame.schema(), {});
  const std::vector<std::string> two = {"b", "i32"};
  const std::string msg = MessageOf<SchemaError>([&] { w.Append(frame.Select(two), Context::Default(1)); });
  EXPECT_NE(msg.find("schema differs"), std::string::npos) << msg;
  const std::string meta = MessageOf<SchemaError>([&] {
    w.Append(frame.WithField({"i64", DataType::Int64(), {}}, frame.column("i64")), Context::Default(1));
  });
  EXPECT_NE(meta.find("field metadata of column 'i64' differs"), std::string::npos) << meta;
}

TEST(EmberFileTest, AbandonedWriterLeavesNoFile) {
  TempDir dir;
  {
    EmberFileWriter w = EmberFileWriter::Open(dir / "a.ember", PatternFrame(1).schema(), {});
    w.Append(PatternFrame(4), Context::Default(1));
  }
  EXPECT_EQ(dir.EntryCount(), 0u);
}

TEST(EmberFileTest, BadOptionsAreRefused) {
  TempDir dir;
  const std::string msg = MessageOf<InvalidArgument>([&] {
    EmberFileWriter::Open(dir / "o.ember", Schema(), {.compression = Compression::kZstd, .zstd_level = 40});
  });
  EXPECT_NE(msg.find("zstd_level is 40; valid levels are 1 to"), std::string::npos) << msg;
  EXPECT_EQ(dir.EntryCount(), 0u);
}

TEST(EmberFileTest, FailingWriteLeavesNoFile) {
  // RLIMIT_FSIZE makes write() fail with EFBIG, as a full disk would.
  TempDir dir;
  const DataFrame frame = PatternFrame(100000);  // about 8 MB
  struct rlimit old {};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 1 << 20;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string msg = MessageOf<IoError>([&] { WriteEmber(frame, dir / "big.ember", {}, Context::Default(2)); });
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_NE(msg.find("big.ember"), std::string::npos) << msg;
  EXPECT_EQ(dir.EntryCount(), 0u);
}

// ---- damaged files ----

class EmberDamageTest : public testing::Test {
 protected:
  void SetUp() override {
    WriteEmber(PatternFrame(20), dir_ / "good.ember", {}, Context::Default(1));
    good_ = Slurp(dir_ / "good.ember");
  }
  /// Writes `bytes` as bad.ember and returns the CorruptData message reading it.
  std::string ErrorFor(const std::string& bytes, EmberReadOptions options = {}) {
    Spit(dir_ / "bad.ember", bytes);
    return ReadError(dir_ / "bad.ember", options);
  }
  TempDir dir_;
  std::string good_;
};

#define EXPECT_HAS(haystack, needle) EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

TEST_F(EmberDamageTest, TruncatedAtAnyPointIsRefused) {
  for (size_t cut : {size_t{3}, size_t{10}, size_t{64}, size_t{91}, size_t{100}, good_.size() / 2,
                     good_.size() - 28, good_.size() - 9, good_.size() - 1}) {
    const std::string msg = ErrorFor(good_.substr(0, cut));
    EXPECT_HAS(msg, dir_ / "bad.ember");
    EXPECT_HAS(msg, "truncated");
  }
}

TEST_F(EmberDamageTest, FlippedDataByteNamesTheColumn) {
  const json footer = FooterOf(good_);
  const uint64_t offset = footer["row_groups"][0]["columns"][4]["values"]["offset"];  // column f64
  std::string bad = good_;
  bad[offset + 8] ^= 0x01;
  const std::string msg = ErrorFor(bad);
  EXPECT_HAS(msg, dir_ / "bad.ember");
  EXPECT_HAS(msg, fmt::format("checksum mismatch in column 'f64' (row group 0, values buffer at byte {}", offset));
  // Without verification the flipped bit comes through: the lowest bit of row 1 (-inf).
  const DataFrame f = ReadEmber(dir_ / "bad.ember", {.verify_checksums = false}, Context::Default(1));
  EXPECT_EQ(std::bit_cast<uint64_t>(f.column("f64")->values<double>()[1]), std::bit_cast<uint64_t>(-kInf) ^ 1);
}

TEST_F(EmberDamageTest, FlippedFooterByteIsRefused) {
  std::string bad = good_;
  uint64_t footer_size = 0;
  std::memcpy(&footer_size, good_.data() + good_.size() - 28, 8);
  bad[good_.size() - 28 - footer_size + 5] ^= 0x20;
  EXPECT_HAS(ErrorFor(bad), "footer checksum mismatch");
}

TEST_F(EmberDamageTest, WrongMagicIsRefused) {
  std::string bad = good_;
  bad[0] = 'X';
  EXPECT_HAS(ErrorFor(bad), "not an .ember file: it does not start with the magic bytes \"EMBERCOL\"");
  EXPECT_HAS(ErrorFor("a,b,c\n1,2,3\n"), "not an .ember file");
}

TEST_F(EmberDamageTest, NewerVersionIsNamed) {
  std::string bad = good_;
  bad[8] = 2;                  // header version
  bad[bad.size() - 12] = 2;    // tail version
  EXPECT_HAS(ErrorFor(bad), "written by format version 2; this build reads up to 1");
}

TEST_F(EmberDamageTest, EmptyFileDirectoryAndMissingPath) {
  EXPECT_HAS(ErrorFor(""), "empty file");
  EXPECT_HAS(MessageOf<IoError>([&] { ReadEmber(dir_.path(), {}, Context::Default(1)); }), dir_.path());
  EXPECT_HAS(MessageOf<NotFound>([&] { ReadEmber(dir_ / "missing.ember", {}, Context::Default(1)); }),
             "missing.ember");
  EXPECT_HAS(MessageOf<NotFound>([&] { ReadEmberInfo(dir_ / "missing.ember"); }), "missing.ember");
}

TEST_F(EmberDamageTest, InfoReadsNoDataPages) {
  const json footer = FooterOf(good_);
  std::string bad = good_;
  bad[footer["row_groups"][0]["columns"][0]["values"]["offset"].get<uint64_t>()] ^= 0x7f;
  Spit(dir_ / "bad.ember", bad);
  EXPECT_EQ(ReadEmberInfo(dir_ / "bad.ember").num_rows, 100u);
}

TEST_F(EmberDamageTest, FooterStructureIsChecked) {
  const json good = FooterOf(good_);
  auto error_with = [&](const std::function<void(json&)>& edit) {
    json f = good;
    edit(f);
    return ErrorFor(WithFooter(good_, f.dump()));
  };
  EXPECT_HAS(ErrorFor(WithFooter(good_, "{\"num_rows\": ")), "is not valid JSON");
  EXPECT_HAS(ErrorFor(WithFooter(good_, "[1, 2]")), "footer is not a JSON object");
  EXPECT_HAS(error_with([](json& f) { f.erase("num_rows"); }), "footer.num_rows is missing");
  EXPECT_HAS(error_with([](json& f) { f["num_rows"] = -1; }), "footer.num_rows should be an unsigned integer");
  EXPECT_HAS(error_with([](json& f) { f["num_rows"] = 99; }), "footer says 99 rows but its row groups hold 100");
  EXPECT_HAS(error_with([](json& f) { f["schema"][1]["type"] = "int128"; }), "'int128' is not a known type");
  EXPECT_HAS(error_with([](json& f) { f["schema"][1]["name"] = "b"; }), "duplicate");
  EXPECT_HAS(error_with([](json& f) { f["schema"][0]["metadata"] = {{"k", 1}}; }),
             "schema[0].metadata.k is not a string");
  EXPECT_HAS(error_with([](json& f) { f["row_groups"][0]["columns"].erase(7); }), "has 7 entries for 8 schema fields");
  EXPECT_HAS(error_with([](json& f) { f["row_groups"][0]["columns"][5].erase("offsets"); }),
             "row_groups[0].columns[5] ('s').offsets is missing (string columns need it)");
  EXPECT_HAS(error_with([](json& f) { f["row_groups"][0]["columns"][0]["indices"] = f["row_groups"][0]["columns"][0]["values"]; }),
             "is present, but bool columns have no such buffer");
  EXPECT_HAS(error_with([](json& f) { f["row_groups"][0]["columns"][1]["values"]["offset"] = 100; }),
             "starts at byte 100, which is not a 64-byte-aligned offset");
  EXPECT_HAS(error_with([](json& f) { f["row_groups"][0]["columns"][1]["values"]["offset"] = 1ULL << 40; }),
             "runs past the data region");
  EXPECT_HAS(error_with([](json& f) { f["row_groups"][0]["columns"][1]["values"]["stored_size"] = 1ULL << 62; }),
             "runs past the data region");
  EXPECT_HAS(error_with([](json& f) {
               auto& v = f["row_groups"][0]["columns"][1]["values"];
               v["raw_size"] = 396;
               v["stored_size"] = 396;
             }),
             "holds 396 bytes; 100 rows of int32 need 400");
  EXPECT_HAS(error_with([](json& f) { f["row_groups"][0]["columns"][1]["values"]["raw_size"] = 1; }),
             "is stored raw but its sizes differ");
  EXPECT_HAS(error_with([](json& f) {
               f["row_groups"][0]["columns"][2]["values"]["offset"] = f["row_groups"][0]["columns"][1]["values"]["offset"];
             }),
             "overlap");
  EXPECT_HAS(error_with([](json& f) { f["row_groups"][0]["columns"][1]["values"]["codec"] = "lz4"; }),
             "is 'lz4'; expected 'none', 'zstd' or 'split_zstd'");
  EXPECT_HAS(error_with([](json& f) { f["row_groups"][0]["columns"][0]["values"]["codec"] = "split_zstd"; }),
             "row_groups[0].columns[0] ('b').values uses split_zstd on 1-byte elements");
  EXPECT_HAS(error_with([](json& f) { f["row_groups"][0]["columns"][1]["values"]["xxhash64"] = 12; }),
             "xxhash64 should be a JSON string");
  EXPECT_HAS(error_with([](json& f) { f["row_groups"][0]["columns"][1]["values"]["xxhash64"] = "00zz"; }),
             "should be 16 lowercase hex digits");
}

TEST_F(EmberDamageTest, BadOffsetsAreCaughtEvenWithoutChecksums) {
  // Make the string column's last offset point past its bytes: only the
  // offsets check (not Column::Make's bounds alone) says which row group.
  const json footer = FooterOf(good_);
  const uint64_t offsets_at = footer["row_groups"][0]["columns"][5]["offsets"]["offset"];
  std::string bad = good_;
  const int64_t huge = 1 << 30;
  std::memcpy(bad.data() + offsets_at + 100 * 8, &huge, 8);
  const std::string msg = ErrorFor(bad, {.verify_checksums = false});
  EXPECT_HAS(msg, "offsets run from 0 to 1073741824");
  EXPECT_HAS(msg, "column 's'");
}

// Writes the fuzzer's seed files when EMBER_WRITE_FUZZ_SEEDS names a folder:
//   EMBER_WRITE_FUZZ_SEEDS=tests/fuzz/ember_reader_fuzz ember_io_test --gtest_filter='EmberFuzzSeeds.*'
// (The seeds are committed; rewrite them after a format change.)
TEST(EmberFuzzSeeds, Write) {
  const char* dir = std::getenv("EMBER_WRITE_FUZZ_SEEDS");
  if (dir == nullptr) GTEST_SKIP() << "set EMBER_WRITE_FUZZ_SEEDS to a folder to write the seeds";
  const Context ctx = Context::Default(1);
  const std::string base(dir);
  WriteEmber(PatternFrame(1), base + "/all_types.ember", {}, ctx);
  WriteInBatches(PatternFrame(20), base + "/zstd_groups.ember", {.compression = Compression::kZstd}, {37}, ctx);
  WriteEmber(PatternFrame(1).Slice(0, 0), base + "/empty.ember", {}, ctx);
}

}  // namespace
}  // namespace ember
