// Tests of the LibSVM reader: a file parsed by hand, options, and each error
// with its line and column.
#include "io/libsvm_reader.h"

#include <unistd.h>

#include <filesystem>
#include <functional>

#include <gtest/gtest.h>

#include "core/atomic_file.h"
#include "core/error.h"

namespace ember {
namespace {

struct Row {
  double label;
  std::vector<int32_t> indices;
  std::vector<float> values;
};

void ExpectRows(const DataFrame& f, int32_t dim, const std::vector<Row>& want) {
  ASSERT_EQ(f.schema().names(), (std::vector<std::string>{"label", "features"}));
  EXPECT_EQ(f.schema().field(0).type, DataType::Float64());
  EXPECT_EQ(f.schema().field(1).type, DataType::SparseVector(dim));
  ASSERT_EQ(f.num_rows(), want.size());
  for (size_t r = 0; r < want.size(); ++r) {
    EXPECT_EQ(f.column("label")->values<double>()[r], want[r].label) << "row " << r;
    const SparseRow row = f.column("features")->SparseRowAt(r);
    EXPECT_EQ(std::vector<int32_t>(row.indices.begin(), row.indices.end()), want[r].indices) << "row " << r;
    EXPECT_EQ(std::vector<float>(row.values.begin(), row.values.end()), want[r].values) << "row " << r;
  }
}

DataFrame Parse(std::string_view text, LibSvmReadOptions options = {}, int threads = 1) {
  return ParseLibSvm(text, "t.svm", options, Context::Default(threads));
}

std::string ErrorOf(std::string_view text, LibSvmReadOptions options = {}) {
  try {
    Parse(text, options);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "NO PARSE ERROR";
}

TEST(LibSvmReaderTest, ParsesASmallFileByHand) {
  const char* text =
      "# a comment line\n"
      "1 1:0.5 3:-2 10:4e-1\n"
      "0\t2:1   # trailing comment\n"
      "\n"
      "   \t\n"
      "-1 1:+3.5\n"
      "+1";  // no features, no final newline
  ExpectRows(Parse(text), 10,
             {{1, {0, 2, 9}, {0.5f, -2.0f, 0.4f}}, {0, {1}, {1.0f}}, {-1, {0}, {3.5f}}, {1, {}, {}}});
}

TEST(LibSvmReaderTest, ZeroBasedIndicesAndFixedFeatureCount) {
  ExpectRows(Parse("1 0:1 4:2\r\n0 3:0.5\r\n", {.num_features = 8, .zero_based = true}), 8,
             {{1, {0, 4}, {1.0f, 2.0f}}, {0, {3}, {0.5f}}});
  ExpectRows(Parse("1 2:7\n", {.num_features = 100}), 100, {{1, {1}, {7.0f}}});
}

TEST(LibSvmReaderTest, EmptyTextIsAnEmptyFrame) {
  ExpectRows(Parse(""), 0, {});
  ExpectRows(Parse("# only a comment\n\n"), 0, {});
}

TEST(LibSvmReaderTest, ErrorsNameLineAndColumn) {
  EXPECT_EQ(ErrorOf("abc 1:2\n"), "t.svm:1:1: bad label 'abc': expected a number");
  EXPECT_EQ(ErrorOf("1 1:2\n# c\n1 x:2\n"), "t.svm:3:3: bad index 'x': expected an integer");
  EXPECT_EQ(ErrorOf("1 3:1 2:1\n"), "t.svm:1:7: index 2 does not increase (the previous index on this line is 3)");
  EXPECT_EQ(ErrorOf("1 3:1 3:1\n"), "t.svm:1:7: index 3 does not increase (the previous index on this line is 3)");
  EXPECT_EQ(ErrorOf("1 4:1\n", {.num_features = 3}),
            "t.svm:1:3: index 4 is outside the 3 features (valid indices: 1 to 3)");
  EXPECT_EQ(ErrorOf("1 3:1\n", {.num_features = 3, .zero_based = true}),
            "t.svm:1:3: index 3 is outside the 3 features (valid indices: 0 to 2)");
  EXPECT_EQ(ErrorOf("1 0:5\n"),
            "t.svm:1:3: index 0 is below 1; indices are 1-based (set zero_based for files that start at 0)");
  EXPECT_EQ(ErrorOf("1 -1:5\n", {.zero_based = true}), "t.svm:1:3: index -1 is negative");
  EXPECT_EQ(ErrorOf("1 3\n"), "t.svm:1:3: malformed pair '3': expected index:value");
  EXPECT_EQ(ErrorOf("1 3:\n"), "t.svm:1:3: malformed pair '3:': expected index:value");
  EXPECT_EQ(ErrorOf("1  :3\n"), "t.svm:1:4: malformed pair ':3': expected index:value");
  EXPECT_EQ(ErrorOf("1 3:abc\n"), "t.svm:1:5: bad value 'abc' for index 3: expected a number");
  EXPECT_EQ(ErrorOf("1 3:1:2\n"), "t.svm:1:5: bad value '1:2' for index 3: expected a number");
  EXPECT_EQ(ErrorOf("2 qid:4 1:1\n"),
            "t.svm:1:3: 'qid:4': qid tokens (ranking groups) are not supported; remove them");
  EXPECT_EQ(ErrorOf("1 3000000000:1\n"), "t.svm:1:3: index 3000000000 is too large (at most 2147483647)");
  EXPECT_THROW(Parse("1 1:1\n", {.num_features = -2}), InvalidArgument);
}

/// Line i (0-based): label i % 3, features {i % 5 + 1: i, i % 5 + 7: -1}.
std::string BigText(size_t lines) {
  std::string text;
  for (size_t i = 0; i < lines; ++i) text += fmt::format("{} {}:{} {}:-1\n", i % 3, i % 5 + 1, i, i % 5 + 7);
  return text;
}

TEST(LibSvmReaderTest, ManyChunksGiveTheSameRowsWithOneAndTwoThreads) {
  const size_t lines = 200000;  // about 4 MB: several parallel chunks
  const std::string text = BigText(lines);
  for (int threads : {1, 2}) {
    const DataFrame f = Parse(text, {}, threads);
    ASSERT_EQ(f.num_rows(), lines);
    EXPECT_EQ(f.schema().field(1).type, DataType::SparseVector(11));
    for (size_t i : {size_t{0}, size_t{1}, size_t{65535}, size_t{123457}, lines - 1}) {
      EXPECT_EQ(f.column("label")->values<double>()[i], static_cast<double>(i % 3));
      const SparseRow row = f.column("features")->SparseRowAt(i);
      ASSERT_EQ(row.indices.size(), 2u);
      EXPECT_EQ(row.indices[0], static_cast<int32_t>(i % 5));
      EXPECT_EQ(row.indices[1], static_cast<int32_t>(i % 5 + 6));
      EXPECT_EQ(row.values[0], static_cast<float>(i));
      EXPECT_EQ(row.values[1], -1.0f);
    }
  }
  // An error deep in a late chunk still names its global line.
  std::string bad = text + "1 2:1 1:1\n" + text;
  for (int threads : {1, 2}) {
    try {
      Parse(bad, {}, threads);
      FAIL();
    } catch (const ParseError& e) {
      EXPECT_EQ(e.line(), static_cast<int64_t>(lines + 1));
      EXPECT_EQ(e.column(), 7);
    }
  }
}

TEST(LibSvmReaderTest, ReadsAFileAndNamesAMissingOne) {
  char tmpl[] = "/tmp/ember-libsvm-test-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  WriteFileAtomically(dir + "/a.svm", "1 2:3\n0 1:1 bad\n");
  try {
    ReadLibSvm(dir + "/a.svm", {}, Context::Default(1));
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()), dir + "/a.svm:2:7: malformed pair 'bad': expected index:value");
  }
  WriteFileAtomically(dir + "/b.svm", "1 2:3\n");
  ExpectRows(ReadLibSvm(dir + "/b.svm", {}, Context::Default(1)), 2, {{1, {1}, {3.0f}}});
  EXPECT_THROW(ReadLibSvm(dir + "/missing.svm", {}, Context::Default(1)), NotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ember
