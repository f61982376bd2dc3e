#include "ml/feature/expression_stage.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/parallel_for.h"
#include "core/strings.h"
#include "ml/feature/column_blocks.h"

namespace ember {

namespace {

// Rows evaluated together: the whole value stack of a chunk stays in cache.
constexpr size_t kChunkRows = 1024;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Copies rows [begin, begin + n) of a numeric column into out as doubles.
void LoadColumn(const Column& c, size_t begin, size_t n, double* out) {
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const T* v = c.values<T>().data() + begin;
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<double>(v[i]);
  };
  switch (c.type().id) {
    case TypeId::kBool: run(uint8_t{}); break;
    case TypeId::kInt32: run(int32_t{}); break;
    case TypeId::kInt64: run(int64_t{}); break;
    case TypeId::kFloat32: run(float{}); break;
    case TypeId::kFloat64: run(double{}); break;
    default: EMBER_CHECK(false, "Expression reads a {} column", c.type().ToString());
  }
  if (c.null_count() > 0) {
    const uint8_t* valid = c.validity().data() + begin;
    for (size_t i = 0; i < n; ++i) {
      if (valid[i] == 0) out[i] = kNaN;
    }
  }
}

template <class F>
void Unary(double* a, size_t n, F f) {
  for (size_t i = 0; i < n; ++i) a[i] = f(a[i]);
}
template <class F>
void Binary(double* a, const double* b, size_t n, F f) {
  for (size_t i = 0; i < n; ++i) a[i] = f(a[i], b[i]);
}

// Runs the program over n rows starting at `begin`; the result is left in
// stack (the first slot). stack holds max_stack slots of kChunkRows values.
void RunChunk(const ExprProgram& p, const std::vector<const Column*>& columns, size_t begin, size_t n,
              double* stack) {
  size_t sp = 0;
  auto slot = [&](size_t i) { return stack + i * kChunkRows; };
  for (const ExprInstruction& ins : p.code) {
    double* top = sp > 0 ? slot(sp - 1) : nullptr;
    double* second = sp > 1 ? slot(sp - 2) : nullptr;
    double* third = sp > 2 ? slot(sp - 3) : nullptr;
    switch (ins.op) {
      case ExprOp::kColumn: LoadColumn(*columns[static_cast<size_t>(ins.arg)], begin, n, slot(sp++)); break;
      case ExprOp::kConst: std::fill_n(slot(sp++), n, ins.value); break;
      case ExprOp::kNeg: Unary(top, n, [](double x) { return -x; }); break;
      case ExprOp::kNot: Unary(top, n, [](double x) { return ExprTruth(x) ? 0.0 : 1.0; }); break;
      case ExprOp::kLog: Unary(top, n, [](double x) { return std::log(x); }); break;
      case ExprOp::kLog1p: Unary(top, n, [](double x) { return std::log1p(x); }); break;
      case ExprOp::kExp: Unary(top, n, [](double x) { return std::exp(x); }); break;
      case ExprOp::kSqrt: Unary(top, n, [](double x) { return std::sqrt(x); }); break;
      case ExprOp::kAbs: Unary(top, n, [](double x) { return std::fabs(x); }); break;
      case ExprOp::kAdd: Binary(second, top, n, [](double x, double y) { return x + y; }); break;
      case ExprOp::kSub: Binary(second, top, n, [](double x, double y) { return x - y; }); break;
      case ExprOp::kMul: Binary(second, top, n, [](double x, double y) { return x * y; }); break;
      case ExprOp::kDiv: Binary(second, top, n, [](double x, double y) { return x / y; }); break;
      case ExprOp::kMod: Binary(second, top, n, [](double x, double y) { return std::fmod(x, y); }); break;
      case ExprOp::kPow: Binary(second, top, n, [](double x, double y) { return std::pow(x, y); }); break;
      case ExprOp::kMin:
        Binary(second, top, n, [](double x, double y) { return x != x || y != y ? kNaN : std::min(x, y); });
        break;
      case ExprOp::kMax:
        Binary(second, top, n, [](double x, double y) { return x != x || y != y ? kNaN : std::max(x, y); });
        break;
      case ExprOp::kLt: Binary(second, top, n, [](double x, double y) { return x < y ? 1.0 : 0.0; }); break;
      case ExprOp::kLe: Binary(second, top, n, [](double x, double y) { return x <= y ? 1.0 : 0.0; }); break;
      case ExprOp::kGt: Binary(second, top, n, [](double x, double y) { return x > y ? 1.0 : 0.0; }); break;
      case ExprOp::kGe: Binary(second, top, n, [](double x, double y) { return x >= y ? 1.0 : 0.0; }); break;
      case ExprOp::kEq: Binary(second, top, n, [](double x, double y) { return x == y ? 1.0 : 0.0; }); break;
      case ExprOp::kNe: Binary(second, top, n, [](double x, double y) { return x != y ? 1.0 : 0.0; }); break;
      case ExprOp::kAnd:
        Binary(second, top, n, [](double x, double y) { return ExprTruth(x) && ExprTruth(y) ? 1.0 : 0.0; });
        break;
      case ExprOp::kOr:
        Binary(second, top, n, [](double x, double y) { return ExprTruth(x) || ExprTruth(y) ? 1.0 : 0.0; });
        break;
      case ExprOp::kClip:
        for (size_t i = 0; i < n; ++i) {
          const double x = third[i], lo = second[i], hi = top[i];
          third[i] = x != x || lo != lo || hi != hi ? kNaN : std::min(std::max(x, lo), hi);
        }
        break;
      case ExprOp::kIf:
        for (size_t i = 0; i < n; ++i) third[i] = ExprTruth(third[i]) ? second[i] : top[i];
        break;
    }
    switch (ins.op) {
      case ExprOp::kColumn: case ExprOp::kConst: break;
      case ExprOp::kClip: case ExprOp::kIf: sp -= 2; break;
      case ExprOp::kNeg: case ExprOp::kNot: case ExprOp::kLog: case ExprOp::kLog1p: case ExprOp::kExp:
      case ExprOp::kSqrt: case ExprOp::kAbs: break;
      default: sp -= 1; break;
    }
  }
  EMBER_CHECK(sp == 1, "expression program left {} values", sp);
}

}  // namespace

const ParamTable& ExpressionStage::Params() {
  static const ParamTable table = [] {
    ParamTable p("Expression");
    p.String("expression", std::nullopt,
             "arithmetic over numeric columns: + - * / %, comparisons, && || !, log log1p exp sqrt abs pow clip "
             "min max if; names as bare words or `quoted`");
    p.String("outputCol", std::nullopt, "output float64 column");
    return p;
  }();
  return table;
}

std::unique_ptr<ExpressionStage> ExpressionStage::Make(ParamMap params, std::string uid) {
  ExprProgram program = ParseExpression(params.GetString("expression"));
  return std::make_unique<ExpressionStage>(std::move(params), std::move(uid), std::move(program));
}

Schema ExpressionStage::TransformSchema(const Schema& input) const {
  const std::vector<std::string> names = input.names();
  for (size_t i = 0; i < program_.columns.size(); ++i) {
    const std::string& c = program_.columns[i];
    const auto index = input.Find(c);
    if (!index) {
      throw SchemaError(fmt::format("Expression: unknown column '{}' at column {} of '{}'{} (columns: {})", c,
                                    program_.column_positions[i], program_.text, DidYouMean(c, names), Join(names)));
    }
    const DataType& type = input.field(*index).type;
    if (!type.is_numeric()) {
      throw SchemaError(fmt::format("Expression: column '{}' in '{}' must be numeric (bool, int or float), got {}", c,
                                    program_.text, type.ToString()));
    }
  }
  RequireAbsent(*this, input, "outputCol", params().GetString("outputCol"));
  return AppendField(input, {params().GetString("outputCol"), DataType::Float64(), {}});
}

DataFrame ExpressionStage::Transform(const DataFrame& input, const Context& ctx) const {
  TransformSchema(input.schema());
  std::vector<const Column*> columns;
  for (const std::string& c : program_.columns) columns.push_back(input.column(c).get());
  auto values = Buffer::Allocate(input.num_rows() * sizeof(double));
  double* out = values->mutable_as<double>();
  ParallelFor(ctx, input.num_rows(), kFeatureBlockRows, [&](const BlockRange& r) {
    std::vector<double> stack(program_.max_stack * kChunkRows);
    for (size_t begin = r.begin; begin < r.end; begin += kChunkRows) {
      const size_t n = std::min(kChunkRows, r.end - begin);
      RunChunk(program_, columns, begin, n, stack.data());
      std::copy_n(stack.data(), n, out + begin);
    }
  });
  ColumnPtr column = Column::Make(DataType::Float64(), input.num_rows(), {.values = std::move(values)});
  return input.WithColumn(params().GetString("outputCol"), std::move(column));
}

}  // namespace ember
