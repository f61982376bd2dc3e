#include "ml/feature/expression_parser.h"

#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"

namespace ember {

namespace {

enum class Tok { kNumber, kName, kOp, kLParen, kRParen, kComma, kEnd };

struct Token {
  Tok kind;
  std::string text;  // a name's text (unquoted), an operator, or the number's spelling
  double number = 0;
  size_t pos = 0;    // 0-based byte offset in the expression
  bool quoted = false;
};

struct Function {
  std::string_view name;
  ExprOp op;
  int min_args;
  int max_args;  // -1: any number >= min_args
};

constexpr std::array<Function, 10> kFunctions = {{
    {"log", ExprOp::kLog, 1, 1},
    {"log1p", ExprOp::kLog1p, 1, 1},
    {"exp", ExprOp::kExp, 1, 1},
    {"sqrt", ExprOp::kSqrt, 1, 1},
    {"abs", ExprOp::kAbs, 1, 1},
    {"pow", ExprOp::kPow, 2, 2},
    {"clip", ExprOp::kClip, 3, 3},
    {"min", ExprOp::kMin, 2, -1},
    {"max", ExprOp::kMax, 2, -1},
    {"if", ExprOp::kIf, 3, 3},
}};

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  ExprProgram Run() {
    program_.text = std::string(text_);
    Advance();
    ParseOr();
    if (tok_.kind != Tok::kEnd) Fail(tok_.pos, fmt::format("expected an operator or the end, found {}", Describe(tok_)));
    return std::move(program_);
  }

 private:
  [[noreturn]] void Fail(size_t pos, const std::string& what) const {
    throw InvalidArgument(fmt::format("Expression: at column {} of '{}': {}", pos + 1, text_, what));
  }

  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case Tok::kEnd: return "the end of the expression";
      case Tok::kName: return t.quoted ? fmt::format("`{}`", t.text) : fmt::format("'{}'", t.text);
      default: return fmt::format("'{}'", t.text);
    }
  }

  // Lexer: reads the next token into tok_.
  void Advance() {
    size_t i = next_;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' || text_[i] == '\r')) ++i;
    tok_ = Token{Tok::kEnd, "", 0, i};
    if (i >= text_.size()) {
      next_ = i;
      return;
    }
    const char c = text_[i];
    if (IsDigit(c) || (c == '.' && i + 1 < text_.size() && IsDigit(text_[i + 1]))) {
      size_t j = i;
      while (j < text_.size() && (IsDigit(text_[j]) || text_[j] == '.')) ++j;
      if (j < text_.size() && (text_[j] == 'e' || text_[j] == 'E')) {
        size_t k = j + 1;
        if (k < text_.size() && (text_[k] == '+' || text_[k] == '-')) ++k;
        if (k < text_.size() && IsDigit(text_[k])) {
          while (k < text_.size() && IsDigit(text_[k])) ++k;
          j = k;
        }
      }
      tok_.kind = Tok::kNumber;
      tok_.text = std::string(text_.substr(i, j - i));
      const auto res = std::from_chars(text_.data() + i, text_.data() + j, tok_.number);
      if (res.ec != std::errc() || res.ptr != text_.data() + j) Fail(i, fmt::format("malformed number '{}'", tok_.text));
      next_ = j;
      return;
    }
    if (IsNameStart(c)) {
      size_t j = i;
      while (j < text_.size() && (IsNameStart(text_[j]) || IsDigit(text_[j]))) ++j;
      tok_.kind = Tok::kName;
      tok_.text = std::string(text_.substr(i, j - i));
      next_ = j;
      return;
    }
    if (c == '`') {
      std::string name;
      size_t j = i + 1;
      while (true) {
        if (j >= text_.size()) Fail(i, "unterminated backquoted name (missing closing `)");
        if (text_[j] == '`') {
          if (j + 1 < text_.size() && text_[j + 1] == '`') {
            name.push_back('`');
            j += 2;
            continue;
          }
          break;
        }
        name.push_back(text_[j++]);
      }
      if (name.empty()) Fail(i, "empty backquoted name");
      tok_.kind = Tok::kName;
      tok_.quoted = true;
      tok_.text = std::move(name);
      next_ = j + 1;
      return;
    }
    if (c == '(' || c == ')' || c == ',') {
      tok_.kind = c == '(' ? Tok::kLParen : c == ')' ? Tok::kRParen : Tok::kComma;
      tok_.text = std::string(1, c);
      next_ = i + 1;
      return;
    }
    static constexpr std::array<std::string_view, 15> kOps = {"<=", ">=", "==", "!=", "&&", "||", "<", ">",
                                                             "+",  "-",  "*",  "/",  "%",  "!",  "="};
    for (std::string_view op : kOps) {
      if (text_.substr(i, op.size()) == op) {
        if (op == "=") Fail(i, "unexpected '='; use '==' to compare");
        tok_.kind = Tok::kOp;
        tok_.text = std::string(op);
        next_ = i + op.size();
        return;
      }
    }
    Fail(i, fmt::format("unexpected character '{}'", c));
  }

  bool AtOp(std::string_view op) const { return tok_.kind == Tok::kOp && tok_.text == op; }

  void Emit(ExprOp op, int pops) {
    program_.code.push_back({op});
    depth_ -= pops - 1;
  }
  void Push(ExprInstruction ins) {
    program_.code.push_back(ins);
    program_.max_stack = std::max(program_.max_stack, ++depth_);
  }

  // One left-associative level: operators and their opcodes, then the next level.
  template <size_t N>
  void Level(const std::array<std::pair<std::string_view, ExprOp>, N>& ops, void (Parser::*next)()) {
    (this->*next)();
    while (true) {
      const auto it = std::find_if(ops.begin(), ops.end(), [&](const auto& o) { return AtOp(o.first); });
      if (it == ops.end()) return;
      Advance();
      (this->*next)();
      Emit(it->second, 2);
    }
  }

  void ParseOr() { Level<1>({{{"||", ExprOp::kOr}}}, &Parser::ParseAnd); }
  void ParseAnd() { Level<1>({{{"&&", ExprOp::kAnd}}}, &Parser::ParseEquality); }
  void ParseEquality() { Level<2>({{{"==", ExprOp::kEq}, {"!=", ExprOp::kNe}}}, &Parser::ParseRelation); }
  void ParseRelation() {
    Level<4>({{{"<=", ExprOp::kLe}, {">=", ExprOp::kGe}, {"<", ExprOp::kLt}, {">", ExprOp::kGt}}}, &Parser::ParseSum);
  }
  void ParseSum() { Level<2>({{{"+", ExprOp::kAdd}, {"-", ExprOp::kSub}}}, &Parser::ParseProduct); }
  void ParseProduct() {
    Level<3>({{{"*", ExprOp::kMul}, {"/", ExprOp::kDiv}, {"%", ExprOp::kMod}}}, &Parser::ParseUnary);
  }

  void ParseUnary() {
    if (AtOp("-") || AtOp("!") || AtOp("+")) {
      const std::string op = tok_.text;
      Advance();
      ParseUnary();
      if (op == "-") Emit(ExprOp::kNeg, 1);
      if (op == "!") Emit(ExprOp::kNot, 1);
      return;
    }
    ParsePrimary();
  }

  void ParsePrimary() {
    const Token t = tok_;
    switch (t.kind) {
      case Tok::kNumber:
        Advance();
        Push({ExprOp::kConst, 0, t.number});
        return;
      case Tok::kLParen:
        Advance();
        ParseOr();
        Expect(Tok::kRParen, "')'");
        return;
      case Tok::kName:
        Advance();
        if (!t.quoted && tok_.kind == Tok::kLParen) {
          ParseCall(t);
        } else {
          PushColumn(t);
        }
        return;
      default:
        Fail(t.pos, fmt::format("expected a value, found {}", Describe(t)));
    }
  }

  void Expect(Tok kind, std::string_view what) {
    if (tok_.kind != kind) Fail(tok_.pos, fmt::format("expected {}, found {}", what, Describe(tok_)));
    Advance();
  }

  void PushColumn(const Token& t) {
    auto it = std::find(program_.columns.begin(), program_.columns.end(), t.text);
    if (it == program_.columns.end()) {
      program_.columns.push_back(t.text);
      program_.column_positions.push_back(t.pos + 1);
      it = program_.columns.end() - 1;
    }
    Push({ExprOp::kColumn, static_cast<int32_t>(it - program_.columns.begin())});
  }

  void ParseCall(const Token& name) {
    const auto f = std::find_if(kFunctions.begin(), kFunctions.end(), [&](const Function& fn) { return fn.name == name.text; });
    if (f == kFunctions.end()) {
      std::vector<std::string> names;
      for (const Function& fn : kFunctions) names.emplace_back(fn.name);
      Fail(name.pos, fmt::format("unknown function '{}'{} (functions: {})", name.text, DidYouMean(name.text, names),
                                 Join(names)));
    }
    Advance();  // '('
    int args = 0;
    while (true) {
      ParseOr();
      ++args;
      // Variadic min/max fold pairwise as they go.
      if (f->max_args < 0 && args > f->min_args) Emit(f->op, 2);
      if (tok_.kind == Tok::kComma) {
        Advance();
        continue;
      }
      if (tok_.kind != Tok::kRParen) Fail(tok_.pos, fmt::format("expected ',' or ')', found {}", Describe(tok_)));
      break;
    }
    if (args < f->min_args || (f->max_args >= 0 && args > f->max_args)) {
      const std::string expected = f->max_args < 0 ? fmt::format("at least {}", f->min_args)
                                                   : fmt::format("{}", f->min_args);
      Fail(name.pos, fmt::format("{}() takes {} argument{}, got {}", f->name, expected,
                                 f->min_args == 1 && f->max_args == 1 ? "" : "s", args));
    }
    Advance();  // ')'
    if (f->max_args < 0) {
      Emit(f->op, 2);
    } else {
      Emit(f->op, f->min_args);
    }
  }

  std::string_view text_;
  size_t next_ = 0;
  Token tok_;
  size_t depth_ = 0;
  ExprProgram program_;
};

}  // namespace

ExprProgram ParseExpression(std::string_view text) { return Parser(text).Run(); }

}  // namespace ember
