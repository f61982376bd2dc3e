#include "ml/feature/expression_stage.h"

#include <cmath>

#include <gtest/gtest.h>

#include "ml/feature/column_blocks.h"
#include "ml/feature/text_test_util.h"

namespace ember {
namespace {

using namespace text_test;

std::unique_ptr<Stage> Expr(const std::string& text, const std::string& out = "y") {
  return Registry().Make("Expression", {{"expression", text}, {"outputCol", out}});
}

std::vector<double> Eval(const std::string& text, const DataFrame& df, int threads = 1) {
  auto stage = Expr(text);
  const auto& t = dynamic_cast<const Transformer&>(*stage);
  return Doubles(*t.Transform(df, Context::Default(threads)).column("y"));
}

TEST(ExpressionTest, GoldenTable) {
  const auto golden = Golden("expression.json");
  std::vector<std::string> names;
  std::vector<ColumnPtr> columns;
  for (const auto& [name, values] : golden["columns"].items()) {
    names.push_back(name);
    columns.push_back(MakeColumn(values.get<std::vector<double>>()));
  }
  const DataFrame df = DataFrame::Make(names, columns);
  for (const auto& c : golden["cases"]) {
    const auto expected = c["expected"].get<std::vector<double>>();
    const auto got = Eval(c["expression"], df);
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_NEAR(got[i], expected[i], 1e-12 * std::max(1.0, std::fabs(expected[i])))
          << c["expression"] << " row " << i;
    }
  }
}

TEST(ExpressionTest, PrecedenceAndAssociativityByHand) {
  const DataFrame df = DataFrame::Make({"x"}, {MakeColumn<double>({2})});
  EXPECT_EQ(Eval("1 + 2 * 3", df)[0], 7);
  EXPECT_EQ(Eval("8 - 3 - 2", df)[0], 3);
  EXPECT_EQ(Eval("16 / 4 / 2", df)[0], 2);
  EXPECT_EQ(Eval("-x * 3", df)[0], -6);
  EXPECT_EQ(Eval("1 + 1 < 3 == 1", df)[0], 1);          // (2 < 3) == 1
  EXPECT_EQ(Eval("0 && 1 || 1", df)[0], 1);             // (0 && 1) || 1
  EXPECT_EQ(Eval("1 || 0 && 0", df)[0], 1);             // 1 || (0 && 0)
  EXPECT_EQ(Eval("!x + 1", df)[0], 1);                  // (!2) + 1
  EXPECT_EQ(Eval("7 % 4 * 2", df)[0], 6);
  EXPECT_EQ(Eval("max(1, x, 3, 0)", df)[0], 3);
  EXPECT_EQ(Eval("1.5e1 + .5", df)[0], 15.5);
}

TEST(ExpressionTest, NullsReadAsNaNAndEveryNumericTypeWorks) {
  const DataFrame df = DataFrame::Make(
      {"i", "l", "f", "b", "n"},
      {MakeColumn<int32_t>({1, 2}), MakeColumn<int64_t>({10, 20}), MakeColumn<float>({0.5f, 0.25f}),
       MakeBoolColumn({true, false}), MakeNullableColumn<double>({std::nullopt, 4.0})});
  EXPECT_EQ(Eval("i + l + f + b", df), (std::vector<double>{12.5, 22.25}));
  const auto n = Eval("n * 2", df);
  EXPECT_TRUE(std::isnan(n[0]));
  EXPECT_EQ(n[1], 8);
  EXPECT_EQ(Eval("if(n, 1, 2)", df), (std::vector<double>{2, 1}));  // NaN is false
  EXPECT_EQ(Eval("n != n", df), (std::vector<double>{1, 0}));
  EXPECT_TRUE(std::isnan(Eval("min(n, 1)", df)[0]));
  EXPECT_EQ(Eval("1 / 0", df)[0], INFINITY);
}

TEST(ExpressionTest, ParseErrorsGivePositionAndWhatWasExpected) {
  auto error = [](const std::string& text) { return ErrorOf<InvalidArgument>([&] { Expr(text); }); };
  EXPECT_EQ(error("a + * b"), "Expression: at column 5 of 'a + * b': expected a value, found '*'");
  EXPECT_EQ(error("a +"), "Expression: at column 4 of 'a +': expected a value, found the end of the expression");
  EXPECT_EQ(error("(a + b"), "Expression: at column 7 of '(a + b': expected ')', found the end of the expression");
  EXPECT_EQ(error("a b"), "Expression: at column 3 of 'a b': expected an operator or the end, found 'b'");
  EXPECT_EQ(error("a = b"), "Expression: at column 3 of 'a = b': unexpected '='; use '==' to compare");
  EXPECT_EQ(error("a # b"), "Expression: at column 3 of 'a # b': unexpected character '#'");
  EXPECT_EQ(error("`a b + 1"), "Expression: at column 1 of '`a b + 1': unterminated backquoted name (missing closing `)");
  EXPECT_EQ(error("clip(a, 1)"), "Expression: at column 1 of 'clip(a, 1)': clip() takes 3 arguments, got 2");
  EXPECT_EQ(error("sqrt(a, 1)"), "Expression: at column 1 of 'sqrt(a, 1)': sqrt() takes 1 argument, got 2");
  EXPECT_EQ(error("min(a)"), "Expression: at column 1 of 'min(a)': min() takes at least 2 arguments, got 1");
  EXPECT_NE(error("lg(a)").find("unknown function 'lg'; did you mean 'log'?"), std::string::npos) << error("lg(a)");
  EXPECT_EQ(error("f(a,)"), "Expression: at column 1 of 'f(a,)': unknown function 'f' (functions: log, log1p, exp, "
                            "sqrt, abs, pow, clip, min, max, if)");
  EXPECT_EQ(error("pow(a,)"), "Expression: at column 7 of 'pow(a,)': expected a value, found ')'");
  EXPECT_EQ(error(""), "Expression: at column 1 of '': expected a value, found the end of the expression");
}

TEST(ExpressionTest, SchemaErrorsNameTheColumnAndSuggest) {
  const DataFrame df = DataFrame::Make({"age", "name"}, {MakeColumn<double>({1}), MakeStringColumn({"x"})});
  auto run = [&](const std::string& text, const std::string& out = "y") {
    return ErrorOf<SchemaError>([&] { dynamic_cast<const Transformer&>(*Expr(text, out)).TransformSchema(df.schema()); });
  };
  EXPECT_EQ(run("agee + 1"),
            "Expression: unknown column 'agee' at column 1 of 'agee + 1'; did you mean 'age'? (columns: age, name)");
  EXPECT_EQ(run("name * 2"), "Expression: column 'name' in 'name * 2' must be numeric (bool, int or float), got string");
  EXPECT_NE(run("age", "age").find("already exists"), std::string::npos);
  EXPECT_EQ(run("`age` + age"), "");
}

TEST(ExpressionTest, SameResultForAnyThreadCountAndTwoCallers) {
  const size_t n = 3 * kFeatureBlockRows + 17;
  std::vector<double> a(n), b(n);
  for (size_t i = 0; i < n; ++i) {
    a[i] = static_cast<double>(i % 97) - 40;
    b[i] = static_cast<double>(i % 13) + 0.5;
  }
  const DataFrame df = DataFrame::Make({"a", "b"}, {MakeColumn(a), MakeColumn(b)});
  const std::string text = "if(a > 0, log1p(a) * b, clip(a / b, -3, 3)) + min(a, b)";
  const auto one = Eval(text, df, 1);
  EXPECT_EQ(Eval(text, df, 4), one);
  for (size_t i : {size_t{0}, size_t{5000}, n - 1}) {
    const double expected = (a[i] > 0 ? std::log1p(a[i]) * b[i] : std::clamp(a[i] / b[i], -3.0, 3.0)) +
                            std::min(a[i], b[i]);
    EXPECT_DOUBLE_EQ(one[i], expected);
  }
  auto stage = Expr(text);
  const auto& t = dynamic_cast<const Transformer&>(*stage);
  const auto results = OnTwoThreads([&] { return Doubles(*t.Transform(df, Context::Default(1)).column("y")); });
  EXPECT_EQ(results[0], one);
  EXPECT_EQ(results[1], one);
}

TEST(ExpressionTest, SaveLoadRoundTrip) {
  const DataFrame df = DataFrame::Make({"my col"}, {MakeColumn<double>({1, 4, 9})});
  auto stage = Expr("sqrt(`my col`) * 2");
  auto loaded = std::dynamic_pointer_cast<const Transformer>(SaveAndLoad(*stage));
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->class_name(), "Expression");
  EXPECT_EQ(Doubles(*loaded->Transform(df, Context::Default(1)).column("y")), (std::vector<double>{2, 4, 6}));
}

}  // namespace
}  // namespace ember
