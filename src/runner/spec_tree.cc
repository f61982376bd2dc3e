#include "runner/spec_tree.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <string_view>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/error.h"

namespace ember::runner {
namespace {

/// JSON pointer escaping of one key (RFC 6901).
std::string EscapePointerToken(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

/// A plain (unquoted) YAML scalar as the JSON value YAML 1.2's core schema gives it.
nlohmann::json PlainScalar(const std::string& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (text == ".inf" || text == "+.inf" || text == ".Inf") return std::numeric_limits<double>::infinity();
  if (text == "-.inf" || text == "-.Inf") return -std::numeric_limits<double>::infinity();
  if (text == ".nan" || text == ".NaN" || text == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const long long as_int = std::strtoll(begin, &end, 10);
  if (end == begin + text.size() && errno == 0) return static_cast<int64_t>(as_int);
  errno = 0;
  const double as_double = std::strtod(begin, &end);
  if (end == begin + text.size() && errno == 0 && text.find_first_of("0123456789") != std::string::npos) {
    return as_double;
  }
  return text;
}

void Convert(const YAML::Node& node, const std::string& pointer, SpecTree& tree, nlohmann::json& out) {
  const YAML::Mark mark = node.Mark();
  if (mark.line >= 0) tree.positions[pointer] = SpecPosition{mark.line + 1, mark.column + 1, ""};
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out = nullptr;
      return;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags quoted scalars "!" and plain ones "?".
      out = node.Tag() == "!" ? nlohmann::json(node.Scalar()) : PlainScalar(node.Scalar());
      return;
    case YAML::NodeType::Sequence: {
      out = nlohmann::json::array();
      for (size_t i = 0; i < node.size(); ++i) {
        nlohmann::json item;
        Convert(node[i], pointer + "/" + std::to_string(i), tree, item);
        out.push_back(std::move(item));
      }
      return;
    }
    case YAML::NodeType::Map: {
      out = nlohmann::json::object();
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          const YAML::Mark key_mark = entry.first.Mark();
          throw ParseError(tree.file, key_mark.line + 1, key_mark.column + 1, "mapping keys must be plain strings");
        }
        const std::string key = entry.first.Scalar();
        const std::string child = pointer + "/" + EscapePointerToken(key);
        if (out.contains(key)) {
          const YAML::Mark key_mark = entry.first.Mark();
          throw ParseError(tree.file, key_mark.line + 1, key_mark.column + 1, fmt::format("duplicate key '{}'", key));
        }
        Convert(entry.second, child, tree, out[key]);
        // Errors about a key point at the key, not at its value.
        const YAML::Mark key_mark = entry.first.Mark();
        tree.positions[child] = SpecPosition{key_mark.line + 1, key_mark.column + 1, ""};
      }
      return;
    }
  }
}

}  // namespace

SpecPosition SpecTree::PositionOf(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    auto it = positions.find(p);
    if (it != positions.end()) return it->second;
    if (p.empty()) return {};
    p.resize(p.rfind('/'));
  }
}

std::string SpecTree::Where(const std::string& pointer) const {
  const SpecPosition pos = PositionOf(pointer);
  if (!pos.override_text.empty()) return fmt::format("--set {}", pos.override_text);
  return fmt::format("{}:{}:{}", file, pos.line, pos.column);
}

void SpecTree::Fail(const std::string& pointer, const std::string& what) const {
  const SpecPosition pos = PositionOf(pointer);
  if (!pos.override_text.empty()) throw InvalidArgument(fmt::format("--set {}: {}", pos.override_text, what));
  throw ParseError(file, pos.line, pos.column, what);
}

std::string SubstituteEnvironment(const std::string& text, const std::string& file) {
  std::string out;
  out.reserve(text.size());
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
    }
    if (c == '$' && i + 2 < text.size() && text[i + 1] == '$' && text[i + 2] == '{') {
      out += "${";
      i += 2;
      continue;
    }
    if (c != '$' || i + 1 >= text.size() || text[i + 1] != '{') {
      out += c;
      continue;
    }
    const size_t close = text.find('}', i + 2);
    const size_t newline = text.find('\n', i + 2);
    const int column = static_cast<int>(i - line_start) + 1;
    if (close == std::string::npos || (newline != std::string::npos && newline < close)) {
      throw ParseError(file, line, column, "unterminated ${...} reference; write $${ for a literal ${");
    }
    const std::string body = text.substr(i + 2, close - i - 2);
    const size_t dash = body.find(":-");
    const std::string name = body.substr(0, dash);
    if (name.empty()) throw ParseError(file, line, column, "empty variable name in ${}");
    if (const char* value = std::getenv(name.c_str()); value != nullptr && (dash == std::string::npos || *value)) {
      out += value;
    } else if (dash != std::string::npos) {
      out += body.substr(dash + 2);
    } else {
      throw ParseError(file, line, column,
                       fmt::format("environment variable '{}' is not set (use ${{{}:-default}} for a default)", name,
                                   name));
    }
    i = close;
  }
  return out;
}

SpecTree ParseYamlTree(const std::string& text, const std::string& file) {
  SpecTree tree;
  tree.file = file;
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ParseError(file, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  Convert(node, "", tree, tree.root);
  if (!tree.root.is_object()) throw ParseError(file, 1, 1, "a run spec is a YAML mapping (data:, label:, pipeline:, ...)");
  return tree;
}

void ApplyOverride(SpecTree& tree, const std::string& assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InvalidArgument(fmt::format("--set {}: expected KEY=VALUE, e.g. pipeline.2.maxDepth=8", assignment));
  }
  const std::string path = assignment.substr(0, eq);
  SpecTree value_tree;
  try {
    value_tree = ParseYamlTree("v: " + assignment.substr(eq + 1), "--set");
  } catch (const Error& e) {
    throw InvalidArgument(fmt::format("--set {}: the value is not valid YAML", assignment));
  }
  nlohmann::json* node = &tree.root;
  std::string pointer;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (key.empty()) throw InvalidArgument(fmt::format("--set {}: empty key in '{}'", assignment, path));
    if (node->is_null()) *node = nlohmann::json::object();
    if (node->is_array()) {
      size_t index = 0;
      const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
      if (ec != std::errc() || end != key.data() + key.size() || index >= node->size()) {
        throw InvalidArgument(fmt::format("--set {}: '{}' is a list of {} items; use an index from 0 to {}",
                                          assignment, pointer.empty() ? "(root)" : pointer.substr(1), node->size(),
                                          node->size() == 0 ? 0 : node->size() - 1));
      }
      node = &(*node)[index];
    } else if (node->is_object()) {
      node = &(*node)[key];
    } else {
      throw InvalidArgument(
          fmt::format("--set {}: '{}' is a single value, it has no key '{}'", assignment, pointer.substr(1), key));
    }
    pointer += "/" + EscapePointerToken(key);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  *node = value_tree.root["v"];
  for (auto it = tree.positions.begin(); it != tree.positions.end();) {
    const bool inside = it->first.rfind(pointer, 0) == 0 &&
                        (it->first.size() == pointer.size() || it->first[pointer.size()] == '/');
    it = inside ? tree.positions.erase(it) : std::next(it);
  }
  tree.positions[pointer] = SpecPosition{0, 0, assignment};
}

}  // namespace ember::runner
