#include "io/table_batch_reader.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "io/csv_batch_reader.h"
#include "io/csv_reader.h"
#include "io/ember_file.h"
#include "io/io_test_util.h"
#include "io/libsvm_reader.h"

namespace ember {
namespace {

std::string DataPath(const std::string& name) { return std::string(EMBER_TEST_DATA_DIR) + "/" + name; }

std::string TempPath(const std::string& name) { return TestTempPath("table_batch_reader_test", name); }

// Every batch, checking each has the schema and, except the last,
// exactly `full` rows when `full` is not 0.
std::vector<DataFrame> ReadAll(TableBatchReader& reader, size_t full) {
  std::vector<DataFrame> batches;
  while (std::optional<DataFrame> b = reader.Next()) {
    EXPECT_EQ(b->schema(), reader.schema());
    EXPECT_GT(b->num_rows(), 0u);
    batches.push_back(std::move(*b));
  }
  EXPECT_FALSE(reader.Next().has_value());  // and stays at the end
  for (size_t i = 0; full != 0 && i + 1 < batches.size(); ++i) EXPECT_EQ(batches[i].num_rows(), full) << i;
  return batches;
}

DataFrame Concat(const std::vector<DataFrame>& batches, const Schema& schema) {
  if (batches.empty()) return DataFrame::Make(schema, {});
  return DataFrame::Concat(batches);
}

void ExpectSameFrame(const DataFrame& a, const DataFrame& b) {
  ASSERT_EQ(a.schema(), b.schema());
  ASSERT_EQ(a.num_rows(), b.num_rows());
  for (size_t c = 0; c < a.num_columns(); ++c) {
    const Column& x = *a.column(c);
    const Column& y = *b.column(c);
    ASSERT_EQ(x.null_count(), y.null_count()) << a.schema().field(c).name;
    for (size_t i = 0; i < a.num_rows(); ++i) {
      ASSERT_EQ(x.IsNull(i), y.IsNull(i)) << "row " << i;
      if (x.IsNull(i)) continue;
      switch (x.type().id) {
        case TypeId::kString: ASSERT_EQ(x.StringAt(i), y.StringAt(i)) << "row " << i; break;
        case TypeId::kSparseVector: {
          const SparseRow p = x.SparseRowAt(i);
          const SparseRow q = y.SparseRowAt(i);
          ASSERT_EQ(std::vector<int32_t>(p.indices.begin(), p.indices.end()),
                    std::vector<int32_t>(q.indices.begin(), q.indices.end()));
          ASSERT_EQ(std::vector<float>(p.values.begin(), p.values.end()),
                    std::vector<float>(q.values.begin(), q.values.end()));
          break;
        }
        default: {
          const double u = x.NumericAt(i);
          const double v = y.NumericAt(i);
          ASSERT_TRUE(u == v || (std::isnan(u) && std::isnan(v))) << "row " << i << ": " << u << " vs " << v;
        }
      }
    }
  }
}

void ExpectBatchesEqualReadTable(const std::string& path, const BatchReadOptions& options, int threads = 1) {
  SCOPED_TRACE(path + " batch_rows " + std::to_string(options.batch_rows) + " chunk_bytes " +
               std::to_string(options.chunk_bytes) + " infer_rows " + std::to_string(options.infer_rows));
  const Context ctx = Context::Default(threads);
  TableBatchReader reader = TableBatchReader::Open(path, options, ctx);
  const std::vector<DataFrame> batches = ReadAll(reader, options.batch_rows);
  const DataFrame whole = ReadTable(path, options.table, ctx);
  EXPECT_EQ(reader.rows_read(), static_cast<int64_t>(whole.num_rows()));
  ExpectSameFrame(Concat(batches, reader.schema()), whole);
}

TEST(TableBatchReaderTest, CsvBatchesConcatenateToReadTable) {
  for (size_t batch : {1, 7, 1000, 1000000}) {
    BatchReadOptions o;
    o.batch_rows = batch;
    if (batch > 1) ExpectBatchesEqualReadTable(DataPath("credit_data.csv"), o);  // one window holds the file
    o.infer_rows = 100;  // types from the first rows, the rest streamed
    o.chunk_bytes = 4093;
    ExpectBatchesEqualReadTable(DataPath("credit_data.csv"), o);
  }
  BatchReadOptions o;
  o.batch_rows = 1000;
  o.infer_rows = 100;
  o.chunk_bytes = 50000;
  ExpectBatchesEqualReadTable(DataPath("wa_churn.csv"), o, /*threads=*/2);
}

// BOM, CRLF, quoted CR/LF and delimiters, doubled quotes, blank lines, no
// final line end.
constexpr std::string_view kTricky =
    "\xEF\xBB\xBF"
    "id,name,score\r\n"
    "1,\"two\r\nlines\",1.5\r\n"
    "2,plain,\r\n"
    "\r\n"
    "3,\"say \"\"hi\"\"\",-2\r\n"
    "4,\"a,b\nc\",7\r\n"
    "5,x,8";

void ExpectTrickyFrame(const DataFrame& df) {
  ASSERT_EQ(df.num_rows(), 5u);
  ASSERT_EQ(df.schema().names(), (std::vector<std::string>{"id", "name", "score"}));
  EXPECT_EQ(df.column(0)->type(), DataType::Int32());
  EXPECT_EQ(df.column(1)->type(), DataType::String());
  EXPECT_EQ(df.column(2)->type(), DataType::Float64());
  const std::vector<std::string> names = {"two\r\nlines", "plain", "say \"hi\"", "a,b\nc", "x"};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(df.column(0)->NumericAt(i), static_cast<double>(i + 1));
    EXPECT_EQ(df.column(1)->StringAt(i), names[i]);
  }
  EXPECT_TRUE(df.column(2)->IsNull(1));
  EXPECT_EQ(df.column(2)->NumericAt(0), 1.5);
  EXPECT_EQ(df.column(2)->NumericAt(2), -2.0);
  EXPECT_EQ(df.column(2)->NumericAt(4), 8.0);
}

TEST(TableBatchReaderTest, QuotedNewlinesCrlfAndBomAtEveryChunkBoundary) {
  const std::string plain = TempPath("tricky.csv");
  const std::string gz = TempPath("tricky.csv.gz");
  WriteFile(plain, kTricky);
  WriteGzip(gz, kTricky);
  for (const std::string& path : {plain, gz}) {
    std::vector<size_t> chunks = {37, 64, kTricky.size() + 1};
    for (size_t chunk = 1; chunk <= 24; ++chunk) chunks.push_back(chunk);  // cuts inside every field of the first rows
    for (size_t chunk : chunks) {
      for (size_t batch : {1, 2, 10}) {
        for (size_t infer : {1, 100}) {
          BatchReadOptions o;
          o.batch_rows = batch;
          o.chunk_bytes = chunk;
          o.infer_rows = infer;
          SCOPED_TRACE(path + " chunk " + std::to_string(chunk) + " batch " + std::to_string(batch) + " infer " +
                       std::to_string(infer));
          TableBatchReader reader = TableBatchReader::Open(path, o, Context::Default(1));
          ExpectTrickyFrame(Concat(ReadAll(reader, batch), reader.schema()));
        }
      }
    }
  }
}

TEST(TableBatchReaderTest, GzipMatchesPlainOnADataset) {
  std::ifstream in(DataPath("credit_data.csv"), std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string gz = TempPath("credit_data.csv.gz");
  WriteGzip(gz, text);
  BatchReadOptions o;
  o.batch_rows = 500;
  o.infer_rows = 200;
  o.chunk_bytes = 10000;
  ExpectBatchesEqualReadTable(gz, o);
  ExpectBatchesEqualReadTable(DataPath("credit_data.csv"), o);
}

std::string ParseErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

TEST(TableBatchReaderTest, ValueThatDoesNotFitALaterBatchNamesItsFileLine) {
  // Row 3 spans lines 4-5, so row r > 3 is on line r + 2: row 31 on line 33.
  std::string text = "a,b\n";
  for (int r = 1; r <= 30; ++r) text += std::to_string(r) + (r == 3 ? ",\"x\ny\"\n" : ",s\n");
  text += "abc,z\n32,s\n";
  CsvBatchOptions o;
  o.csv.infer_rows = 10;
  o.csv.chunk_bytes = 16;
  o.batch_rows = 4;
  o.read_bytes = 8;
  TableBatchReader reader = TableBatchReader::FromSource(OpenCsvTextBatches(text, "t.csv", o, Context::Default(1)));
  EXPECT_EQ(reader.schema().field(0).type, DataType::Int32());
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(reader.Next().has_value()) << i;  // rows 1..28
  EXPECT_EQ(reader.rows_read(), 28);
  EXPECT_EQ(ParseErrorOf([&] { reader.Next(); }),
            "t.csv:33:1: column 'a': cannot parse 'abc' as int32, the type inferred from the first rows of the file; "
            "give the column its type explicitly (column_types, e.g. --types 'a:string')");

  // A type given explicitly holds the value.
  o.csv.column_types = {{"a", DataType::String()}};
  TableBatchReader typed = TableBatchReader::FromSource(OpenCsvTextBatches(text, "t.csv", o, Context::Default(1)));
  const DataFrame all = Concat(ReadAll(typed, 4), typed.schema());
  ASSERT_EQ(all.num_rows(), 32u);
  EXPECT_EQ(all.column(0)->StringAt(30), "abc");
  EXPECT_EQ(all.column(1)->StringAt(2), "x\ny");
}

TEST(TableBatchReaderTest, ValuesThatDoNotFitWithinTheFirstRowsWidenAsReadTable) {
  // "2.5" is past the 2 sampled rows but inside the first batch: widened.
  CsvBatchOptions o;
  o.csv.infer_rows = 2;
  o.batch_rows = 4;
  o.read_bytes = 3;
  const std::string text = "a\n1\n2\n2.5\n3\n4\n";
  TableBatchReader reader = TableBatchReader::FromSource(OpenCsvTextBatches(text, "t.csv", o, Context::Default(1)));
  EXPECT_EQ(reader.schema().field(0).type, DataType::Float64());
  const DataFrame all = Concat(ReadAll(reader, 4), reader.schema());
  ASSERT_EQ(all.num_rows(), 5u);
  EXPECT_EQ(all.column(0)->NumericAt(2), 2.5);
  EXPECT_EQ(all.column(0)->NumericAt(4), 4.0);
}

TEST(TableBatchReaderTest, EmptyAndHeaderOnlyFilesAsReadTable) {
  const Context ctx = Context::Default(1);
  const std::string empty = TempPath("empty.csv");
  const std::string header = TempPath("header.csv");
  const std::string blank_rows = TempPath("blank_rows.csv");
  WriteFile(empty, "");
  WriteFile(header, "a,b\n");
  WriteFile(blank_rows, "a,b\n1,2\n\n\r\n");
  for (const std::string& path : {empty, header}) {
    const std::string batch_error = ParseErrorOf([&] { TableBatchReader::Open(path, {}, ctx); });
    EXPECT_EQ(batch_error, ParseErrorOf([&] { ReadTable(path, {}, ctx); }));
    EXPECT_NE(batch_error, "no error");
  }
  BatchReadOptions typed;
  typed.table.column_types = {{"a", DataType::Int64()}, {"b", DataType::String()}};
  TableBatchReader reader = TableBatchReader::Open(header, typed, ctx);
  EXPECT_EQ(reader.schema(), ReadTable(header, typed.table, ctx).schema());
  EXPECT_EQ(reader.schema().field(0).type, DataType::Int64());
  EXPECT_FALSE(reader.Next().has_value());
  EXPECT_EQ(reader.rows_read(), 0);

  BatchReadOptions small;
  small.batch_rows = 1;
  small.infer_rows = 1;
  ExpectBatchesEqualReadTable(blank_rows, small);  // trailing blank lines are no batch
}

TEST(TableBatchReaderTest, RejectsBadOptions) {
  BatchReadOptions o;
  o.batch_rows = 0;
  EXPECT_THROW(TableBatchReader::Open(DataPath("credit_data.csv"), o, Context::Default(1)), InvalidArgument);
  o.batch_rows = 1;
  o.chunk_bytes = 0;
  EXPECT_THROW(TableBatchReader::Open(DataPath("credit_data.csv"), o, Context::Default(1)), InvalidArgument);
  EXPECT_THROW(TableBatchReader::Open(TempPath("missing.csv"), {}, Context::Default(1)), NotFound);
}

DataFrame SmallFrame(size_t rows, int64_t first) {
  std::vector<int64_t> ids;
  std::vector<std::optional<std::string>> names;
  std::vector<float> scores;
  for (size_t i = 0; i < rows; ++i) {
    const int64_t id = first + static_cast<int64_t>(i);
    ids.push_back(id);
    names.push_back(id % 3 == 0 ? std::nullopt : std::optional<std::string>("n" + std::to_string(id)));
    scores.push_back(static_cast<float>(id) / 4);
  }
  return DataFrame::Make({"id", "name", "score"},
                         {MakeColumn(ids), MakeNullableStringColumn(names), MakeColumn(scores)});
}

TEST(TableBatchReaderTest, EmberRowGroupsAreSlicedWithoutCopies) {
  for (const Compression compression : {Compression::kNone, Compression::kZstd}) {
    const std::string path = TempPath(compression == Compression::kNone ? "g.ember" : "gz.ember");
    const Context ctx = Context::Default(1);
    const DataFrame a = SmallFrame(5, 0);
    const DataFrame b = SmallFrame(8, 5);
    EmberWriteOptions wo;
    wo.compression = compression;
    EmberFileWriter w = EmberFileWriter::Open(path, a.schema(), wo);
    w.Append(a, ctx);
    w.Append(b, ctx);
    w.Commit();

    BatchReadOptions o;
    o.batch_rows = 3;
    TableBatchReader reader = TableBatchReader::Open(path, o, ctx);
    const std::vector<DataFrame> batches = ReadAll(reader, 0);
    std::vector<size_t> sizes;
    for (const DataFrame& f : batches) sizes.push_back(f.num_rows());
    EXPECT_EQ(sizes, (std::vector<size_t>{3, 2, 3, 3, 2}));  // no batch spans the two row groups
    // Batches of one row group share its buffers.
    EXPECT_EQ(batches[1].column(0)->values<int64_t>().data(), batches[0].column(0)->values<int64_t>().data() + 3);
    EXPECT_EQ(batches[1].column(0)->values<int64_t>()[0], 3);
    const std::vector<DataFrame> parts = {a, b};
    ExpectSameFrame(Concat(batches, reader.schema()), DataFrame::Concat(parts));
    ExpectSameFrame(Concat(batches, reader.schema()), ReadEmber(path, {}, ctx));
  }
}

TEST(TableBatchReaderTest, EmberChecksumsAreCheckedPerRowGroup) {
  const std::string path = TempPath("bad.ember");
  const Context ctx = Context::Default(1);
  WriteEmber(SmallFrame(4, 0), path, {}, ctx);
  {  // Flip a byte of the first data buffer (data starts after the 64-byte header).
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(64);
    f.put('\x7f');
  }
  TableBatchReader reader = TableBatchReader::Open(path, {}, ctx);
  EXPECT_THROW(reader.Next(), CorruptData);
  BatchReadOptions unchecked;
  unchecked.table.verify_checksums = false;
  TableBatchReader lenient = TableBatchReader::Open(path, unchecked, ctx);
  EXPECT_TRUE(lenient.Next().has_value());
}

TEST(TableBatchReaderTest, LibSvmIsReadWholeAndSliced) {
  const std::string path = TempPath("s.libsvm");
  WriteFile(path, "1 1:0.5 3:2\n0 2:1\n1\n0 1:1 2:2 3:3\n");
  BatchReadOptions o;
  o.batch_rows = 3;
  TableBatchReader reader = TableBatchReader::Open(path, o, Context::Default(1));
  const std::vector<DataFrame> batches = ReadAll(reader, 3);
  ASSERT_EQ(batches.size(), 2u);
  const DataFrame all = Concat(batches, reader.schema());
  ExpectSameFrame(all, ReadLibSvm(path, {}, Context::Default(1)));
  EXPECT_EQ(all.column("label")->NumericAt(3), 0.0);
  EXPECT_EQ(all.column("features")->SparseRowAt(3).values[2], 3.0f);
}

}  // namespace
}  // namespace ember
