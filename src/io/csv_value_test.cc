#include "io/csv_value.h"

#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include <fast_float/fast_float.h>
#include <gtest/gtest.h>

namespace ember::csv {
namespace {

template <class T>
void ExpectSameAsFastFloat(const std::string& s) {
  T ours = 0;
  T ref = 0;
  const auto a = ParseNumberPrefix(s.data(), s.data() + s.size(), ours);
  const auto b = fast_float::from_chars(s.data(), s.data() + s.size(), ref);
  ASSERT_EQ(a.ec == std::errc(), b.ec == std::errc()) << s;
  if (b.ec != std::errc()) return;
  ASSERT_EQ(a.ptr, b.ptr) << s;
  if (std::isnan(ref)) {
    ASSERT_TRUE(std::isnan(ours)) << s;
  } else {
    ASSERT_EQ(std::memcmp(&ours, &ref, sizeof(T)), 0) << s << ": " << ours << " vs " << ref;
  }
}

TEST(CsvValueTest, NumberPrefixMatchesFastFloatBitForBit) {
  std::mt19937_64 rng(7);
  const std::string alphabet = "0123456789.-e,+ x";
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    const int len = static_cast<int>(rng() % 28);
    for (int j = 0; j < len; ++j) {
      // Mostly digits, with the odd sign, dot, exponent or delimiter.
      s.push_back(rng() % 4 != 0 ? static_cast<char>('0' + rng() % 10) : alphabet[rng() % alphabet.size()]);
    }
    ExpectSameAsFastFloat<double>(s);
    ExpectSameAsFastFloat<float>(s);
  }
  for (const char* s : {"0", "-0", "-0.0", "1.", ".5", "-.5", "9007199254740993", "9007199254740992.5",
                        "0.1234567890123456789", "123456789.123456789", "1.7976931348623157", "nan", "-inf",
                        "16777217", "0.3333333333", "3.4028235", "12345678901234567890", "1.5e3,"}) {
    ExpectSameAsFastFloat<double>(s);
    ExpectSameAsFastFloat<float>(s);
  }
}

TEST(CsvValueTest, ClassifiesAlongTheLattice) {
  EXPECT_EQ(ClassifyValue(" 12 "), ValueKind::kInt32);
  EXPECT_EQ(ClassifyValue("+12"), ValueKind::kInt32);
  EXPECT_EQ(ClassifyValue("2147483648"), ValueKind::kInt64);
  EXPECT_EQ(ClassifyValue("99999999999999999999"), ValueKind::kFloat);
  EXPECT_EQ(ClassifyValue("NaN"), ValueKind::kFloat);
  EXPECT_EQ(ClassifyValue("-inf"), ValueKind::kFloat);
  EXPECT_EQ(ClassifyValue("TRUE"), ValueKind::kBool);
  EXPECT_EQ(ClassifyValue("1,5"), ValueKind::kString);
  EXPECT_EQ(ClassifyValue("  "), ValueKind::kBlank);
  EXPECT_EQ(JoinKinds(ValueKind::kInt32, ValueKind::kFloat), ValueKind::kFloat);
  EXPECT_EQ(JoinKinds(ValueKind::kBool, ValueKind::kInt32), ValueKind::kString);
  EXPECT_EQ(JoinKinds(ValueKind::kNull, ValueKind::kBool), ValueKind::kBool);
}

}  // namespace
}  // namespace ember::csv
