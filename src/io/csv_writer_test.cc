#include "io/csv_writer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "io/csv_reader.h"

namespace ember {
namespace {

std::string TempPath(const std::string& name) {
  std::string dir = ::testing::TempDir() + "/csv_writer_test_" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0755);
  return dir + "/" + name;
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string WriteToString(const DataFrame& df, const CsvWriteOptions& options = {}, int threads = 1) {
  const std::string path = TempPath("out.csv");
  WriteCsv(df, path, options, Context::Default(threads));
  return ReadFileToString(path);
}

// Values equal bit for bit (NaN payloads aside), nulls in the same places.
void ExpectSameValues(const DataFrame& a, const DataFrame& b) {
  ASSERT_EQ(a.schema(), b.schema());
  ASSERT_EQ(a.num_rows(), b.num_rows());
  for (size_t c = 0; c < a.num_columns(); ++c) {
    const Column& x = *a.column(c);
    const Column& y = *b.column(c);
    const std::string& name = a.schema().field(c).name;
    for (size_t i = 0; i < a.num_rows(); ++i) {
      ASSERT_EQ(x.IsNull(i), y.IsNull(i)) << name << " row " << i;
      if (x.IsNull(i)) continue;
      switch (x.type().id) {
        case TypeId::kString: ASSERT_EQ(x.StringAt(i), y.StringAt(i)) << name << " row " << i; break;
        case TypeId::kFloat32: {
          const float u = x.values<float>()[i];
          const float v = y.values<float>()[i];
          ASSERT_TRUE((std::isnan(u) && std::isnan(v)) || std::memcmp(&u, &v, 4) == 0) << name << " row " << i;
          break;
        }
        case TypeId::kFloat64: {
          const double u = x.values<double>()[i];
          const double v = y.values<double>()[i];
          ASSERT_TRUE((std::isnan(u) && std::isnan(v)) || std::memcmp(&u, &v, 8) == 0) << name << " row " << i;
          break;
        }
        default: ASSERT_EQ(x.NumericAt(i), y.NumericAt(i)) << name << " row " << i;
      }
    }
  }
}

TEST(CsvWriterTest, QuotesOnlyWhereNeeded) {
  const DataFrame df = DataFrame::Make(
      {"name", "note,s"},
      {MakeNullableStringColumn({"plain", "a,b", "say \"hi\"", "two\nlines", " pad", "", std::nullopt, "cr\r"}),
       MakeNullableColumn<int32_t>({1, -2, std::nullopt, 4, 5, 6, 7, 8})});
  EXPECT_EQ(WriteToString(df),
            "name,\"note,s\"\n"
            "plain,1\n"
            "\"a,b\",-2\n"
            "\"say \"\"hi\"\"\",\n"
            "\"two\nlines\",4\n"
            "\" pad\",5\n"
            "\"\",6\n"
            ",7\n"
            "\"cr\r\",8\n");
}

TEST(CsvWriterTest, NumbersInShortestRoundTripForm) {
  const DataFrame df = DataFrame::Make(
      {"d", "f", "b", "l"},
      {MakeColumn<double>({0.1, 3.0, -2.5e-300, std::numeric_limits<double>::quiet_NaN()}),
       MakeColumn<float>({0.1f, 16777216.0f, -0.0f, std::numeric_limits<float>::infinity()}),
       MakeBoolColumn({true, false, true, false}),
       MakeColumn<int64_t>({std::numeric_limits<int64_t>::min(), 0, 1, 9000000000})});
  EXPECT_EQ(WriteToString(df),
            "d,f,b,l\n"
            "0.1,0.1,true,-9223372036854775808\n"
            "3.0,16777216.0,false,0\n"
            "-2.5e-300,-0.0,true,1\n"
            "nan,inf,false,9000000000\n");
}

TEST(CsvWriterTest, NullTokenOptionAndDelimiter) {
  const DataFrame df = DataFrame::Make({"s", "x"}, {MakeNullableStringColumn({"NA", std::nullopt, ""}),
                                                    MakeNullableColumn<double>({std::nullopt, 1.5, 2.0})});
  CsvWriteOptions o;
  o.null_token = "NA";
  o.delimiter = '\t';
  EXPECT_EQ(WriteToString(df, o), "s\tx\n\"NA\"\tNA\nNA\t1.5\n\t2.0\n");
  o.null_token = "a\"b";
  EXPECT_THROW(WriteToString(df, o), InvalidArgument);
}

TEST(CsvWriterTest, RefusesVectorColumnsNamingThem) {
  const DataFrame df = DataFrame::Make({"id", "features"}, {MakeColumn<int32_t>({1, 2}),
                                                            MakeDenseVectorColumn(2, 2, {1, 2, 3, 4})});
  const std::string path = TempPath("vectors.csv");
  try {
    WriteCsv(df, path, {}, Context::Default(1));
    FAIL();
  } catch (const SchemaError& e) {
    EXPECT_NE(std::string(e.what()).find("column 'features' is a vector[2] column"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(Exists(path));
}

TEST(CsvWriterTest, NothingUnderTheFinalNameUntilCommit) {
  const std::string path = TempPath("stream.csv");
  const DataFrame a = DataFrame::Make({"x"}, {MakeColumn<int32_t>({1, 2})});
  const DataFrame b = DataFrame::Make({"x"}, {MakeColumn<int32_t>({3})});
  {
    CsvStreamWriter w = CsvStreamWriter::Open(path, a.schema(), {});
    w.Append(a, Context::Default(2));
    EXPECT_FALSE(Exists(path));
    const DataFrame wrong = DataFrame::Make({"y"}, {MakeColumn<int32_t>({3})});
    EXPECT_THROW(w.Append(wrong, Context::Default(1)), SchemaError);
  }  // abandoned: no file
  EXPECT_FALSE(Exists(path));
  CsvStreamWriter w = CsvStreamWriter::Open(path, a.schema(), {});
  w.Append(a, Context::Default(2));
  w.Append(b, Context::Default(2));
  w.Commit();
  EXPECT_EQ(ReadFileToString(path), "x\n1\n2\n3\n");
  EXPECT_THROW(CsvStreamWriter::Open(TempPath("no/such/dir.csv"), a.schema(), {}), Error);
}

TEST(CsvWriterTest, HandMadeFrameRoundTripsLosslessly) {
  const DataFrame df = DataFrame::Make(
      {"text", "f64", "f32", "i32", "i64", "flag"},
      {MakeNullableStringColumn({"a \"quoted\" word", "line\nbreak", std::nullopt, "", " lead", "x,y", "\xC3\xA9t\xC3\xA9",
                                 "1"}),
       MakeNullableColumn<double>({0.1, std::numeric_limits<double>::quiet_NaN(), std::nullopt, 1e300, -0.0,
                                   5e-324, 2.0 / 3.0, -std::numeric_limits<double>::infinity()}),
       MakeNullableColumn<float>({0.1f, 1.0f / 3.0f, std::nullopt, 3.4028235e38f,
                                  std::numeric_limits<float>::denorm_min(), -7.0f, 1e-10f, 2.5f}),
       MakeNullableColumn<int32_t>({1, std::nullopt, INT32_MIN, INT32_MAX, 0, -1, 2, 3}),
       MakeNullableColumn<int64_t>({INT64_MIN, INT64_MAX, 0, std::nullopt, 1, 2, 3, 4}),
       MakeBoolColumn({true, false, true, true, false, false, true, false})});
  const std::string path = TempPath("handmade.csv");
  WriteCsv(df, path, {}, Context::Default(2));
  CsvReadOptions o;
  for (const Field& f : df.schema().fields()) o.column_types[f.name] = f.type;
  ExpectSameValues(df, ReadCsv(path, o, Context::Default(2)));
  // Without a schema, inference gets every numeric type back except where
  // the sample is ambiguous (the string column's values are not numbers).
  CsvReadOptions inferred;
  inferred.float_type = DataType::Float32();
  const DataFrame back = ReadCsv(path, inferred, Context::Default(1));
  EXPECT_EQ(back.column("f32")->type(), DataType::Float32());
  EXPECT_EQ(back.column("i64")->type(), DataType::Int64());
  EXPECT_EQ(back.column("flag")->type(), DataType::Bool());
}

class CsvDatasetRoundTripTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CsvDatasetRoundTripTest, CsvFrameCsvFrameIsLossless) {
  const std::string source = std::string(EMBER_TEST_DATA_DIR) + "/" + GetParam();
  const DataFrame first = ReadCsv(source, {}, Context::Default(2));
  const std::string path = TempPath("rt_" + GetParam());
  WriteCsv(first, path, {}, Context::Default(2));
  const DataFrame second = ReadCsv(path, {}, Context::Default(1));
  ExpectSameValues(first, second);
}

INSTANTIATE_TEST_SUITE_P(CsvDatasets, CsvDatasetRoundTripTest,
                         ::testing::Values("wa_churn.csv", "credit_data.csv", "hpc_data.csv", "ames.csv"),
                         [](const auto& info) { return info.param.substr(0, info.param.find('.')); });

}  // namespace
}  // namespace ember
