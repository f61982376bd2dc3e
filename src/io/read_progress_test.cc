// The readers report their progress through the Context: one task per read,
// whose units add up to the input's total, advanced once per chunk or batch
// (never per row).
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/progress_test_util.h"
#include "io/csv_reader.h"
#include "io/ember_file.h"
#include "io/io_test_util.h"
#include "io/table_batch_reader.h"
#include "io/table_io.h"

namespace ember {
namespace {

std::string TempPath(const std::string& name) { return TestTempPath("read_progress_test", name); }

uint64_t FileSize(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return static_cast<uint64_t>(st.st_size);
}

/// "id,x\n" then `rows` rows of 8 + 1 + 4 + 1 = 14 bytes each.
std::string Rows(int rows) {
  std::string text = "id,x\n";
  for (int i = 0; i < rows; ++i) text += fmt::format("{:08d},{:04d}\n", i, i % 7);
  return text;
}

TEST(ReadProgressTest, CsvReportsEveryByteOnceChunkByChunk) {
  const std::string path = TempPath("rows.csv");
  const std::string text = Rows(1000);  // 5 + 14000 bytes
  WriteFile(path, text);
  ProgressRecorder rec;
  CsvReadOptions o;
  o.chunk_bytes = 1024;  // about 14 chunks: the bar moves per chunk, not per row
  const DataFrame frame = ReadCsv(path, o, rec.ctx);
  ASSERT_EQ(frame.num_rows(), 1000u);
  ASSERT_EQ(rec.tasks.size(), 1u);
  const ProgressReport& r = rec.tasks[0];
  EXPECT_EQ(r.label, "read " + path);
  EXPECT_EQ(r.unit, "bytes");
  EXPECT_EQ(r.total, 14005u);
  EXPECT_EQ(r.done, 14005u);
  EXPECT_GE(r.advances, 10u);
  EXPECT_LE(r.advances, 20u);
}

TEST(ReadProgressTest, CsvWideningIsNotCountedTwice) {
  // Inference samples one row; "x" then holds a string and is parsed again.
  const std::string path = TempPath("widen.csv");
  WriteFile(path, "x\n1\n2\nthree\n");
  ProgressRecorder rec;
  CsvReadOptions o;
  o.infer_rows = 1;
  o.chunk_bytes = 2;
  const DataFrame frame = ReadCsv(path, o, rec.ctx);
  EXPECT_EQ(frame.schema().field(0).type, DataType::String());
  ASSERT_EQ(rec.tasks.size(), 1u);
  EXPECT_EQ(rec.tasks[0].done, 12u);
  EXPECT_EQ(rec.tasks[0].total, 12u);
}

TEST(ReadProgressTest, GzipCsvInflatesThenReadsEachWithItsBar) {
  const std::string path = TempPath("rows.csv.gz");
  WriteGzip(path, Rows(300));
  ProgressRecorder rec;
  const DataFrame frame = ReadTable(path, {}, rec.ctx);
  ASSERT_EQ(frame.num_rows(), 300u);
  ASSERT_EQ(rec.tasks.size(), 2u);
  EXPECT_EQ(rec.tasks[0].label, "inflate " + path);
  EXPECT_EQ(rec.tasks[0].total, FileSize(path));  // compressed bytes
  EXPECT_EQ(rec.tasks[0].done, FileSize(path));
  EXPECT_EQ(rec.tasks[1].label, "read " + path);
  EXPECT_EQ(rec.tasks[1].total, 5u + 300u * 14u);  // inflated bytes
  EXPECT_EQ(rec.tasks[1].done, 5u + 300u * 14u);
}

TEST(ReadProgressTest, EmberAndLibSvmReportTheirWholeInput) {
  ProgressRecorder rec;
  const std::string ember = TempPath("three.ember");
  WriteFile(TempPath("three.csv"), "a,b,c\n1,2,x\n3,4,y\n");
  WriteEmber(ReadCsv(TempPath("three.csv"), {}, Context::Default(1)), ember, {}, Context::Default(1));
  (void)ReadTable(ember, {}, rec.ctx);
  const std::string svm = TempPath("s.libsvm");
  WriteFile(svm, "1 1:0.5 3:2\n0 2:1\n");
  (void)ReadTable(svm, {}, rec.ctx);
  ASSERT_EQ(rec.tasks.size(), 2u);
  EXPECT_EQ(rec.tasks[0].label, "read " + ember);
  EXPECT_EQ(rec.tasks[0].unit, "columns");
  EXPECT_EQ(rec.tasks[0].total, 3u);
  EXPECT_EQ(rec.tasks[0].done, 3u);
  EXPECT_EQ(rec.tasks[1].label, "read " + svm);
  EXPECT_EQ(rec.tasks[1].unit, "bytes");
  EXPECT_EQ(rec.tasks[1].total, 18u);
  EXPECT_EQ(rec.tasks[1].done, 18u);
}

TEST(ReadProgressTest, BatchReaderAdvancesOncePerBatchOverTheFile) {
  for (const bool gzip : {false, true}) {
    const std::string path = TempPath(gzip ? "batches.csv.gz" : "batches.csv");
    if (gzip) {
      WriteGzip(path, Rows(100));
    } else {
      WriteFile(path, Rows(100));
    }
    ProgressRecorder rec;
    {
      BatchReadOptions o;
      o.batch_rows = 10;
      o.infer_rows = 10;
      o.chunk_bytes = 64;
      o.progress_label = "score it";
      TableBatchReader reader = TableBatchReader::Open(path, o, rec.ctx);
      size_t batches = 0;
      while (reader.Next()) ++batches;
      EXPECT_EQ(batches, 10u);
      EXPECT_TRUE(rec.tasks.empty());  // the task lasts as long as the reader
    }
    ASSERT_EQ(rec.tasks.size(), 1u) << path;
    const ProgressReport& r = rec.tasks[0];
    EXPECT_EQ(r.label, "score it");
    EXPECT_EQ(r.unit, "bytes");
    EXPECT_EQ(r.total, FileSize(path)) << path;
    EXPECT_EQ(r.done, FileSize(path)) << path;
    EXPECT_GE(r.advances, 2u) << path;
    EXPECT_LE(r.advances, 11u) << path;  // at most once per Next()
  }
}

TEST(ReadProgressTest, EmberBatchesCountRowsWithTheDefaultLabel) {
  const std::string csv = TempPath("rows2.csv");
  WriteFile(csv, Rows(25));
  const std::string path = TempPath("rows2.ember");
  WriteEmber(ReadCsv(csv, {}, Context::Default(1)), path, {}, Context::Default(1));
  ProgressRecorder rec;
  {
    BatchReadOptions o;
    o.batch_rows = 10;
    TableBatchReader reader = TableBatchReader::Open(path, o, rec.ctx);
    while (reader.Next()) {
    }
  }
  ASSERT_EQ(rec.tasks.size(), 1u);
  EXPECT_EQ(rec.tasks[0].label, "read " + path);
  EXPECT_EQ(rec.tasks[0].unit, "rows");
  EXPECT_EQ(rec.tasks[0].total, 25u);
  EXPECT_EQ(rec.tasks[0].done, 25u);
  EXPECT_EQ(rec.tasks[0].advances, 3u);
}

}  // namespace
}  // namespace ember
