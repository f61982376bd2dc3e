#include "io/csv_reader.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/error.h"

namespace ember {
namespace {

DataFrame Parse(std::string_view text, CsvReadOptions options = {}, int threads = 1) {
  return ParseCsv(text, "t.csv", options, Context::Default(threads));
}

std::string ParseErrorOf(std::string_view text, CsvReadOptions options = {}) {
  try {
    Parse(text, options);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

std::string TempPath(const std::string& name) {
  std::string dir = ::testing::TempDir() + "/csv_reader_test_" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0755);
  return dir + "/" + name;
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(CsvReaderTest, QuotedFieldsHoldDelimitersQuotesAndNewlines) {
  const DataFrame df = Parse("name,note\n\"a,b\",\"say \"\"hi\"\"\"\n\"two\nlines\",plain\n");
  ASSERT_EQ(df.num_rows(), 2u);
  EXPECT_EQ(df.column(0)->StringAt(0), "a,b");
  EXPECT_EQ(df.column(1)->StringAt(0), "say \"hi\"");
  EXPECT_EQ(df.column(0)->StringAt(1), "two\nlines");
  EXPECT_EQ(df.column(1)->StringAt(1), "plain");
}

TEST(CsvReaderTest, BomCrlfAndMissingFinalNewline) {
  const DataFrame df = Parse("\xEF\xBB\xBFx,y\r\n1,a\r\n2,\"b\"\r\n3,c");
  ASSERT_EQ(df.num_rows(), 3u);
  EXPECT_EQ(df.schema().field(0).name, "x");
  EXPECT_EQ(df.column(0)->type(), DataType::Int32());
  EXPECT_EQ(df.column(0)->values<int32_t>()[2], 3);
  EXPECT_EQ(df.column(1)->StringAt(0), "a");
  EXPECT_EQ(df.column(1)->StringAt(1), "b");
  EXPECT_EQ(df.column(1)->StringAt(2), "c");
}

TEST(CsvReaderTest, DelimiterOptionAndNoHeader) {
  CsvReadOptions o;
  o.delimiter = ';';
  o.has_header = false;
  const DataFrame df = Parse("1;2,5;x\n3;4;y\n", o);
  ASSERT_EQ(df.num_columns(), 3u);
  EXPECT_EQ(df.schema().names(), (std::vector<std::string>{"c0", "c1", "c2"}));
  EXPECT_EQ(df.num_rows(), 2u);
  EXPECT_EQ(df.column(1)->type(), DataType::String());  // "2,5" is not a number
  EXPECT_EQ(df.column(1)->StringAt(0), "2,5");
}

TEST(CsvReaderTest, InfersTheNarrowestTypeThatHoldsEveryValue) {
  const DataFrame df = Parse(
      "b,i32,i64,f,s,allnull,sp,mixed\n"
      "true,1,1,1,a,,  7 ,true\n"
      "FALSE,-2147483648,9000000000,2.5,1,, 8,1\n"
      "True,2147483647,3,nan,x,,9  ,2\n"
      ",,,-inf,,,,\n"
      "false,0,0,inf,y,,10,3\n");
  const Schema& s = df.schema();
  EXPECT_EQ(s.field(0).type, DataType::Bool());
  EXPECT_EQ(s.field(1).type, DataType::Int32());
  EXPECT_EQ(s.field(2).type, DataType::Int64());
  EXPECT_EQ(s.field(3).type, DataType::Float64());
  EXPECT_EQ(s.field(4).type, DataType::String());
  EXPECT_EQ(s.field(5).type, DataType::String());
  EXPECT_EQ(s.field(6).type, DataType::Int32());
  EXPECT_EQ(s.field(7).type, DataType::String());  // bool and int together
  EXPECT_EQ(df.column(0)->values<uint8_t>()[1], 0);
  EXPECT_EQ(df.column(0)->values<uint8_t>()[2], 1);
  EXPECT_EQ(df.column(1)->values<int32_t>()[1], INT32_MIN);
  EXPECT_EQ(df.column(2)->values<int64_t>()[1], 9000000000LL);
  EXPECT_TRUE(std::isnan(df.column(3)->values<double>()[2]));
  EXPECT_EQ(df.column(3)->values<double>()[3], -INFINITY);
  EXPECT_EQ(df.column(6)->values<int32_t>()[0], 7);
  EXPECT_EQ(df.column(6)->values<int32_t>()[2], 9);
  EXPECT_EQ(df.column(0)->null_count(), 1u);
  EXPECT_EQ(df.column(3)->null_count(), 0u);
  EXPECT_FALSE(df.column(3)->has_validity());  // masks only where nulls are
  EXPECT_EQ(df.column(5)->null_count(), 5u);
}

TEST(CsvReaderTest, OnlyTheEmptyFieldIsNullByDefault) {
  const DataFrame df = Parse("a,b\nNone,1\nNA,\n\"\",3\n");
  EXPECT_EQ(df.column(0)->type(), DataType::String());
  EXPECT_EQ(df.column(0)->null_count(), 0u);
  EXPECT_EQ(df.column(0)->StringAt(0), "None");
  EXPECT_EQ(df.column(0)->StringAt(1), "NA");
  EXPECT_EQ(df.column(0)->StringAt(2), "");  // a quoted empty string is a value
  EXPECT_EQ(df.column(1)->null_count(), 1u);
  EXPECT_TRUE(df.column(1)->IsNull(1));
}

TEST(CsvReaderTest, CustomNullTokens) {
  CsvReadOptions o;
  o.null_tokens = {"NA", "None"};
  const DataFrame df = Parse("a,b\nNA,1.5\nx,None\n,2\n", o);
  EXPECT_EQ(df.column(0)->null_count(), 1u);
  EXPECT_EQ(df.column(0)->StringAt(2), "");
  EXPECT_EQ(df.column(1)->type(), DataType::Float64());
  EXPECT_EQ(df.column(1)->null_count(), 1u);
}

TEST(CsvReaderTest, WidensAColumnWhenALaterRowDoesNotFit) {
  CsvReadOptions o;
  o.infer_rows = 2;
  o.chunk_bytes = 16;  // several chunks, so widening crosses chunk borders
  const DataFrame df = Parse("a,b,c,d\n1,1,1,true\n2,2,2,false\n3,2.5,x,true\n4,4,5000000000,7\n5,5,5,\n", o);
  EXPECT_EQ(df.column(0)->type(), DataType::Int32());
  EXPECT_EQ(df.column(1)->type(), DataType::Float64());
  EXPECT_EQ(df.column(1)->values<double>()[2], 2.5);
  EXPECT_EQ(df.column(1)->values<double>()[4], 5.0);
  EXPECT_EQ(df.column(2)->type(), DataType::String());
  EXPECT_EQ(df.column(2)->StringAt(3), "5000000000");
  EXPECT_EQ(df.column(3)->type(), DataType::String());
  EXPECT_EQ(df.column(3)->StringAt(0), "true");
  EXPECT_TRUE(df.column(3)->IsNull(4));

  const DataFrame wide = Parse("a\n1\n2\n3000000000\n", o);
  EXPECT_EQ(wide.column(0)->type(), DataType::Int64());
  EXPECT_EQ(wide.column(0)->values<int64_t>()[2], 3000000000LL);
}

TEST(CsvReaderTest, UserTypedColumnRejectsAValueWithLineAndColumn) {
  CsvReadOptions o;
  o.column_types = {{"age", DataType::Int64()}};
  EXPECT_EQ(ParseErrorOf("id,age\n1,30\n\"multi\nline\",2\n3,abc\n", o),
            "t.csv:5:2: column 'age': cannot parse 'abc' as int64 (set its type to string in the schema, or fix "
            "the value)");
  const std::string long_value(100, 'z');
  const std::string msg = ParseErrorOf("id,age\n1," + long_value + "\n", o);
  EXPECT_NE(msg.find("'" + std::string(40, 'z') + "...'"), std::string::npos) << msg;
  EXPECT_NE(ParseErrorOf("id,age\n1,\"a\nb\"\n", o).find("t.csv:2:2: column 'age': cannot parse 'a\\nb' as int64"),
            std::string::npos);
}

TEST(CsvReaderTest, UserTypesOverrideInference) {
  CsvReadOptions o;
  o.column_types = {{"zip", DataType::String()}, {"x", DataType::Float32()}};
  const DataFrame df = Parse("zip,x\n01234,1\n99999, 2.5 \n", o);
  EXPECT_EQ(df.column(0)->StringAt(0), "01234");
  EXPECT_EQ(df.column(1)->type(), DataType::Float32());
  EXPECT_EQ(df.column(1)->values<float>()[1], 2.5f);
}

TEST(CsvReaderTest, Float32ForInferredDecimals) {
  CsvReadOptions o;
  o.float_type = DataType::Float32();
  const DataFrame df = Parse("x,n\n0.1,1\n", o);
  EXPECT_EQ(df.column(0)->type(), DataType::Float32());
  EXPECT_EQ(df.column(0)->values<float>()[0], 0.1f);
  EXPECT_EQ(df.column(1)->type(), DataType::Int32());
}

TEST(CsvReaderTest, UnknownColumnTypeNameIsRejected) {
  CsvReadOptions o;
  o.column_types = {{"agee", DataType::Int64()}};
  try {
    Parse("id,age\n1,2\n", o);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'age'"), std::string::npos) << e.what();
  }
}

TEST(CsvReaderTest, UnterminatedQuoteReportsTheLineWhereItOpened) {
  EXPECT_EQ(ParseErrorOf("a,b\n1,2\n3,\"abc\n4,5\n"),
            "t.csv:3:2: quoted field opened here is never closed; add the closing quote (\")");
}

TEST(CsvReaderTest, WrongFieldCountsSayWhatWasExpected) {
  EXPECT_EQ(ParseErrorOf("a,b,c\n1,2,3\n1,2\n"),
            "t.csv:3:3: row has 2 fields, expected 3 (as in the header); quote fields that contain ','");
  EXPECT_EQ(ParseErrorOf("a,b\n1,2\n\"x\ny\",2,3,4\n"),
            "t.csv:3:3: row has 4 fields, expected 2 (as in the header); quote fields that contain ','");
  // Past the sampled rows too, in a later chunk.
  CsvReadOptions o;
  o.infer_rows = 1;
  o.chunk_bytes = 8;
  EXPECT_EQ(ParseErrorOf("a,b\n1,2\n3,4\n5,6\n7\n", o),
            "t.csv:5:2: row has 1 field, expected 2 (as in the header); quote fields that contain ','");
}

TEST(CsvReaderTest, StrayQuotesAreErrors) {
  EXPECT_EQ(ParseErrorOf("a,b\n1,ab\"c\n"),
            "t.csv:2:2: quote inside an unquoted field; enclose the whole field in quotes and double the inner quote");
  EXPECT_NE(ParseErrorOf("a,b\n1,\"ab\"c\n").find("t.csv:2:2: unexpected 'c' after the closing quote"),
            std::string::npos);
}

TEST(CsvReaderTest, EmptyFileAndHeaderOnly) {
  EXPECT_EQ(ParseErrorOf(""), "t.csv:1:1: empty; expected a header line");
  EXPECT_EQ(ParseErrorOf("\xEF\xBB\xBF"), "t.csv:1:1: empty; expected a header line");
  EXPECT_NE(ParseErrorOf("a,b\n").find("t.csv:2:1: no data rows after the header"), std::string::npos);
  CsvReadOptions o;
  o.column_types = {{"a", DataType::Int64()}, {"b", DataType::String()}};
  const DataFrame df = Parse("a,b\n", o);
  EXPECT_EQ(df.num_rows(), 0u);
  EXPECT_EQ(df.column(0)->type(), DataType::Int64());
  EXPECT_EQ(df.column(1)->type(), DataType::String());
}

TEST(CsvReaderTest, DuplicateColumnNamesNameBothPositions) {
  EXPECT_EQ(ParseErrorOf("a,b,a\n1,2,3\n"),
            "t.csv:1:3: column name 'a' appears twice, as fields 1 and 3; rename one of them");
}

TEST(CsvReaderTest, InvalidUtf8IsReportedWithLineAndColumn) {
  EXPECT_EQ(ParseErrorOf("a,b\n1,ok\n2,x\xC3(\n"),
            "t.csv:3:2: column 'b': invalid UTF-8 (byte 0xc3 at byte 2 of the field); save the file as UTF-8");
  EXPECT_EQ(ParseErrorOf("a,\xFF\n1,2\n"),
            "t.csv:1:2: invalid UTF-8 in a column name (byte 0xff); save the file as UTF-8");
}

TEST(CsvReaderTest, BlankLinesAreSkippedUnlessTheTableHasOneColumn) {
  const DataFrame two = Parse("a,b\n1,2\n\n3,4\n\r\n");
  EXPECT_EQ(two.num_rows(), 2u);
  const DataFrame one = Parse("a\nx\n\n\"\"\ny\n");
  ASSERT_EQ(one.num_rows(), 4u);
  EXPECT_TRUE(one.column(0)->IsNull(1));
  EXPECT_EQ(one.column(0)->StringAt(2), "");
}

TEST(CsvReaderTest, FileErrorsNameThePath) {
  EXPECT_THROW(ReadCsv(TempPath("missing.csv"), {}, Context::Default(1)), NotFound);
  try {
    ReadCsv(::testing::TempDir(), {}, Context::Default(1));
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(::testing::TempDir()), std::string::npos) << e.what();
  }
  const std::string bad_gz = TempPath("bad.csv.gz");
  WriteFile(bad_gz, "\x1f\x8b\x08\x00garbage that is not deflate data");
  try {
    ReadCsv(bad_gz, {}, Context::Default(1));
    FAIL();
  } catch (const CorruptData& e) {
    EXPECT_NE(std::string(e.what()).find(bad_gz), std::string::npos) << e.what();
  }
}

TEST(CsvReaderTest, ReadsGzipByNameOrMagic) {
  const std::string text = "x,y\n1,a\n2,b\n";
  for (const std::string name : {"data.csv.gz", "data_gz_inside.csv"}) {
    const std::string path = TempPath(name);
    gzFile gz = gzopen(path.c_str(), "wb");
    gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
    gzclose(gz);
    const DataFrame df = ReadCsv(path, {}, Context::Default(2));
    ASSERT_EQ(df.num_rows(), 2u) << name;
    EXPECT_EQ(df.column(1)->StringAt(1), "b");
  }
  const std::string truncated = TempPath("truncated.csv.gz");
  {
    const std::string full = TempPath("data.csv.gz");
    std::ifstream in(full, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    WriteFile(truncated, bytes.substr(0, bytes.size() / 2));
  }
  EXPECT_THROW(ReadCsv(truncated, {}, Context::Default(1)), CorruptData);
}

// A few MB with quoted fields (some with newlines), nulls and a column that
// widens late, parsed with tiny and default chunks on 1 and 2 threads.
std::string MakeBigCsv(size_t rows) {
  std::string s = "id,x,label,maybe\n";
  for (size_t i = 0; i < rows; ++i) {
    s += std::to_string(i) + "," + std::to_string(static_cast<double>(i) * 0.25 - 7) + ",";
    if (i % 7 == 0) {
      s += "\"q,\"\"" + std::to_string(i % 13) + "\nnext\"";
    } else {
      s += "v" + std::to_string(i % 11);
    }
    s += ",";
    if (i % 5 != 0) s += std::to_string(i % 3);
    if (i == rows - 3) s += ".5";
    s += "\n";
  }
  return s;
}

void ExpectSameFrame(const DataFrame& a, const DataFrame& b) {
  ASSERT_EQ(a.schema(), b.schema());
  ASSERT_EQ(a.num_rows(), b.num_rows());
  for (size_t c = 0; c < a.num_columns(); ++c) {
    const Column& x = *a.column(c);
    const Column& y = *b.column(c);
    ASSERT_EQ(x.null_count(), y.null_count());
    for (size_t i = 0; i < a.num_rows(); ++i) {
      ASSERT_EQ(x.IsNull(i), y.IsNull(i));
      if (x.IsNull(i)) continue;
      if (x.type().id == TypeId::kString) {
        ASSERT_EQ(x.StringAt(i), y.StringAt(i)) << "row " << i;
      } else {
        ASSERT_EQ(x.NumericAt(i), y.NumericAt(i)) << "row " << i;
      }
    }
  }
}

TEST(CsvReaderTest, SameFrameForAnyThreadCountAndChunkSize) {
  const size_t rows = 60000;
  const std::string text = MakeBigCsv(rows);
  ASSERT_GT(text.size(), size_t{1} << 20);  // more than one default chunk
  const DataFrame one = Parse(text, {}, 1);
  ASSERT_EQ(one.num_rows(), rows);
  EXPECT_EQ(one.column(3)->type(), DataType::Float64());  // widened after the sample
  EXPECT_EQ(one.column(3)->values<double>()[rows - 3], (rows - 3) % 3 + 0.5);
  EXPECT_EQ(one.column(3)->null_count(), rows / 5);
  EXPECT_EQ(one.column(2)->StringAt(7), "q,\"7\nnext");
  EXPECT_EQ(one.column(1)->values<double>()[8], -5.0);
  ExpectSameFrame(one, Parse(text, {}, 2));
  CsvReadOptions small;
  small.chunk_bytes = 4000;
  ExpectSameFrame(one, Parse(text, small, 2));
}

TEST(CsvReaderTest, ErrorLinesCountQuotedNewlinesAcrossChunks) {
  std::string text = "a,b\n";
  for (int i = 0; i < 500; ++i) text += "1,\"x\ny\"\n";  // two physical lines per row
  text += "2,\"z\"w\n";
  CsvReadOptions o;
  o.chunk_bytes = 100;
  EXPECT_NE(ParseErrorOf(text, o).find("t.csv:1002:2: unexpected 'w'"), std::string::npos) << ParseErrorOf(text, o);
}

}  // namespace
}  // namespace ember
